//! Instant-hiring benchmarks (issue 5, item 8). Run with `./dev bench` (which builds the plugins
//! first); the figures go into docs/benchmarks.md.
//!
//! 1. the job feed over 100,000 open posts, as `GET /api/v1/jobs` runs it (embedded SQLite, and
//!    PostgreSQL when one is reachable at `BENCH_POSTGRES`, default
//!    `postgres://postgres@127.0.0.1:5432`; `BENCH_POSTGRES=off` skips it);
//! 2. the 50 best of 100,000 workers for one job (the city_matching plugin), and loading the pool;
//! 3. batch assignment of 1,000 jobs × 10,000 workers: scoring, then the Hungarian assignment.
//!
//! Everything goes through the host library's own code paths (store, rules, plugins, feed,
//! matching); only the HTTP layer and JSON serialisation are left out.

mod common;

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use common::{header, measure, ratio, row, target_dir};
use gigmarket::config::Config;
use gigmarket::identity::pii::PiiKeys;
use gigmarket::jobs::feed::{self, FeedPage, FeedParams};
use gigmarket::jobs::occupations::OCCUPATIONS;
use gigmarket::jobs::{JobDetails, WageUnit, distance_km, terms};
use gigmarket::matching::{self, assign};
use gigmarket::plugins::bindings::matching::MatchRequest;
use gigmarket::plugins::bindings::types::Date;
use gigmarket::plugins::slots::MatchingWorld;
use gigmarket::regions::{CITY_CODE, KAIFENG, RegionStatus};
use gigmarket::rules::Rules;
use gigmarket::store::Store;
use gigmarket::store::accounts::AccountRow;
use gigmarket::store::jobs::JobRow;
use gigmarket::store::matching::WorkerFeatures;
use gigmarket::tenants::{GeoPoint, Tenant};
use sqlx::Connection;
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

const JOBS: usize = 100_000;
const WORKERS: usize = 100_000;
const BATCH_JOBS: usize = 1_000;
const BATCH_WORKERS: usize = 10_000;
const BATCH_RUNS: usize = 3;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let keys = pii_keys();
    let started = Instant::now();
    let jobs = generate_jobs(&mut Rng(1), JOBS, &keys);
    let term_count: usize = jobs.iter().map(|j| j.terms.len()).sum();
    println!(
        "Generated {} posts ({} search terms, jieba) in {:.1?}.\n",
        n(JOBS),
        n(term_count),
        started.elapsed()
    );
    let workers = generate_workers(&mut Rng(2), WORKERS);

    // Case 1 (and the pool load of case 2) on the embedded SQLite database.
    let sqlite = Db::open(&rt, None, &keys);
    let sqlite_seed = sqlite.seed(&rt, &keys, &jobs, &workers, 1);
    sqlite_seed.print("SQLite");
    println!("### Feed over {} open posts, SQLite\n", n(JOBS));
    feed_cases(&rt, &sqlite.store, &keys, &jobs);
    println!();

    // The same on PostgreSQL, if one is reachable.
    let pg_base = std::env::var("BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let mut postgres = None;
    if pg_base != "off" {
        match rt.block_on(create_pg_database(&pg_base)) {
            Ok(name) => {
                let guard = PgDatabase { base: pg_base.clone(), name };
                let db = Db::open(&rt, Some(format!("{pg_base}/{}", guard.name)), &keys);
                let seed = db.seed(&rt, &keys, &jobs, &workers, 4);
                // What autovacuum does after a bulk load (the bench server runs with it off).
                rt.block_on(sqlx::query("ANALYZE").execute(db.store.pool())).expect("ANALYZE");
                seed.print("PostgreSQL");
                println!("### Feed over {} open posts, PostgreSQL\n", n(JOBS));
                feed_cases(&rt, &db.store, &keys, &jobs);
                println!();
                postgres = Some((db, guard));
            }
            Err(e) => {
                println!("PostgreSQL at {pg_base} not reachable ({e}); its rows are skipped.\n")
            }
        }
    }

    println!("### Recommendations: the 50 best of {} workers for one job\n", n(WORKERS));
    top_50(&rt, &sqlite, postgres.as_ref().map(|(db, _)| db), &jobs, &workers);

    println!(
        "### Batch assignment: {} jobs × {} workers (SQLite)\n",
        n(BATCH_JOBS),
        n(BATCH_WORKERS)
    );
    batch(&rt, &sqlite, &jobs, &workers);

    if let Some((db, guard)) = postgres {
        rt.block_on(db.store.close());
        drop(guard);
    }
}

// ---------------------------------------------------------------------------------------------
// Printing.

/// 100000 → "100,000".
fn n(x: usize) -> String {
    let digits = x.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Deterministic test data.

/// splitmix64: the same data on every run and both databases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A point in Kaifeng (the city and its five counties).
    fn place(&mut self) -> (f64, f64) {
        (self.range(114.2, 114.95), self.range(34.4, 34.95))
    }
}

/// What each occupation's posts ask for, in the words employers use.
fn tasks(code: &str) -> &'static [&'static str] {
    match code {
        "4-02-05-01" => &["装卸货物", "搬运", "卸车", "装车", "装卸"],
        "4-02-06-01" => &["仓库管理", "出入库登记", "盘点"],
        "4-02-06-02" => &["理货", "分拣", "上架"],
        "4-02-02-02" => &["货车司机", "送货", "跟车装卸"],
        "4-02-07-08" => &["快递派送", "揽件", "配送"],
        "4-02-07-09" => &["快件分拣", "分拣", "扫描"],
        "4-02-07-10" => &["外卖配送", "配送", "骑手"],
        "6-29-01-01" => &["砌墙", "砌砖", "抹灰"],
        "6-29-01-03" => &["浇筑混凝土", "打灰", "振捣"],
        "6-29-01-04" => &["绑钢筋", "钢筋加工"],
        "6-29-01-05" => &["搭脚手架", "拆架子"],
        "6-29-01-07" => &["农房建设", "砌墙", "修缮"],
        "6-29-02-08" => &["屋面防水", "卫生间防水"],
        "6-29-03-02" => &["设备安装", "布线"],
        "6-29-03-04" => &["水管安装", "管道维修"],
        "6-29-04-01" => &["室内装修", "贴瓷砖", "吊顶"],
        "5-01-02-01" => &["摘花生", "收玉米", "田间管理"],
        "5-01-02-02" => &["大棚种植", "育苗", "采摘"],
        "4-07-05-01" => &["门岗值守", "巡逻", "秩序维护"],
        "4-03-02-01" => &["炒菜", "厨师", "配菜"],
        "6-18-02-04" => &["电焊", "氩弧焊", "钢结构焊接"],
        "4-10-01-06" => &["家庭保洁", "做饭", "家务"],
        "4-10-01-05" => &["照护老人", "陪护"],
        "4-10-01-03" => &["照看婴儿", "育儿"],
        "4-10-05-02" => &["保洁", "开荒保洁", "清扫"],
        "4-03-02-05" => &["传菜", "点菜", "洗碗"],
        "6-31-01-03" => &["电路维修", "接线", "布线"],
        "6-29-04-03" => &["木工支模", "做柜子"],
        "6-29-04-04" => &["刷墙", "刷漆", "喷漆"],
        "5-01-03-01" => &["修剪绿化", "种树", "浇水"],
        "6-05-01-01" => &["缝纫", "锁边", "服装加工"],
        _ => &["杂工"],
    }
}

const PLACES: &[&str] = &[
    "仓库",
    "物流园",
    "工地",
    "小区",
    "饭店",
    "超市",
    "工厂",
    "学校食堂",
    "农场",
    "写字楼",
    "医院",
    "菜市场",
    "酒店",
    "批发市场",
    "家具城",
];
const SUFFIXES: &[&str] = &["", "临时工", "(日结)", "急招", "长期工", "短期工"];
const PERKS: &[&str] = &["管午饭。", "包吃住。", "提供工具。", "有交通补贴。", "干完即结。", ""];
const REQUIREMENTS: &[&str] =
    &["身体健康", "能吃苦耐劳", "有经验者优先", "年龄18至55岁", "服从安排", "需健康证"];
const STREETS: &[&str] = &[
    "大梁路",
    "宋城路",
    "中山路",
    "夷山大街",
    "金明大道",
    "五一路",
    "郑开大道",
    "黄河路",
    "汴京路",
    "西环路",
];
const CONTACTS: &[&str] =
    &["王经理", "李师傅", "张女士", "刘先生", "陈主管", "杨老板", "赵会计", "孙师傅"];
/// Markets the posts and workers belong to (11 markets of `tenants/`: the city, county-level and
/// specialty markets). Which market a post is in changes none of the figures: the city feed and
/// the matching below do not filter on it.
const TENANTS: &[&str] = &[
    "kaifeng",
    "gulou",
    "longting",
    "shunhe",
    "lankao",
    "qixian",
    "tongxu",
    "weishi",
    "shifanqu",
    "kaifeng-construction",
    "kaifeng-housekeeping",
];
/// Employer accounts the posts are spread over.
const EMPLOYERS: usize = 2_000;
/// The search around a point, and the keyword that is in about 10 posts of 100,000.
const CENTRE: (f64, f64) = (114.35, 34.79);
const RARE: &str = "叉车";

fn districts() -> Vec<&'static gigmarket::regions::Region> {
    KAIFENG.iter().filter(|r| r.code != CITY_CODE && r.status == RegionStatus::Current).collect()
}

fn stamp(at: chrono::DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn employer_id(i: usize) -> String {
    format!("00000000-bench-empl-{i:012}")
}

fn worker_id(i: usize) -> String {
    format!("00000000-bench-work-{i:012}")
}

/// A post and the terms it is found by.
struct Post {
    row: JobRow,
    terms: Vec<String>,
}

fn generate_jobs(rng: &mut Rng, n: usize, keys: &PiiKeys) -> Vec<Post> {
    let districts = districts();
    let now = Utc::now();
    let today = now.date_naive();
    (0..n)
        .map(|_| {
            let occupation = rng.pick(OCCUPATIONS);
            let task = *rng.pick(tasks(occupation.code));
            let place = *rng.pick(PLACES);
            let district = *rng.pick(&districts);
            let headcount = 1 + rng.below(10) as i64;
            let title = format!("{place}{task}{}", rng.pick(SUFFIXES));
            let daily_hours = *rng.pick(&[4.0, 6.0, 8.0, 8.0, 8.0, 9.0, 10.0]);
            let rare = if rng.chance(0.0001) { "有叉车证优先。" } else { "" };
            let description = format!(
                "{place}需要{task}人员{headcount}名,每天{daily_hours}小时。{}{}。{rare}",
                rng.pick(PERKS),
                rng.pick(REQUIREMENTS)
            );
            let address =
                format!("{}{}{}号{place}", district.name, rng.pick(STREETS), 1 + rng.below(300));
            let (unit, cents) = match rng.below(10) {
                0..6 => (WageUnit::Day, 12_000 + 500 * rng.below(57) as i64),
                6 | 7 => (WageUnit::Hour, 1_800 + 100 * rng.below(23) as i64),
                8 => (WageUnit::Month, 350_000 + 10_000 * rng.below(46) as i64),
                _ => (WageUnit::Piece, 50 + 10 * rng.below(46) as i64),
            };
            let settlement = *rng.pick(&[
                "daily",
                "daily",
                "daily",
                "daily",
                "daily",
                "weekly",
                "weekly",
                "monthly",
                "monthly",
                "on_completion",
            ]);
            let (lon, lat) = rng.place();
            let created =
                now - chrono::Duration::microseconds(rng.below(14 * 86_400_000_000) as i64);
            let start = today + chrono::Days::new(rng.below(8) as u64);
            let details = JobDetails {
                skill_level: Some(*rng.pick(&[0, 0, 0, 1, 1, 2, 3])),
                requirements: vec![rng.pick(REQUIREMENTS).to_string()],
                ..JobDetails::default()
            };
            let occupation_name = occupation.name;
            let text = format!("{title} {occupation_name} {description} {address}");
            let row = JobRow {
                id: uuid::Uuid::now_v7().to_string(),
                tenant_code: rng.pick(TENANTS).to_string(),
                employer_id: employer_id(rng.below(EMPLOYERS)),
                title,
                description,
                occupation_code: occupation.code.to_string(),
                headcount,
                taken: if rng.chance(0.2) { rng.below(headcount as usize) as i64 } else { 0 },
                district: district.code.to_string(),
                address,
                lon,
                lat,
                work_start: start.to_string(),
                work_end: (start + chrono::Days::new(rng.below(31) as u64)).to_string(),
                daily_hours,
                wage_cents: cents,
                wage_unit: unit.as_str().to_string(),
                wage_cents_per_day: gigmarket::jobs::wage_per_day(cents, unit, daily_hours),
                settlement: settlement.to_string(),
                closes_at: stamp(now + chrono::Duration::hours(24 + rng.below(29 * 24) as i64)),
                contact_name: rng.pick(CONTACTS).to_string(),
                contact_phone_enc: keys.encrypt(&format!(
                    "1{}{:09}",
                    3 + rng.below(7),
                    rng.below(1_000_000_000)
                )),
                details: serde_json::to_string(&details).unwrap(),
                status: "open".into(),
                review_decision: None,
                review_reasons: "[]".into(),
                reviewed_by: None,
                created_at: stamp(created),
                updated_at: stamp(created),
            };
            Post { row, terms: terms::index_terms(&text) }
        })
        .collect()
}

fn generate_workers(rng: &mut Rng, n: usize) -> Vec<WorkerFeatures> {
    (0..n)
        .map(|i| {
            let occupations: Vec<String> =
                (0..1 + rng.below(3)).map(|_| rng.pick(OCCUPATIONS).code.to_string()).collect();
            let rating_count = if rng.chance(0.3) { 0 } else { rng.below(41) as i64 };
            let (lon, lat) = rng.place();
            WorkerFeatures {
                account_id: worker_id(i),
                home_tenant: rng.pick(TENANTS).to_string(),
                verified: true,
                occupations,
                skill_level: *rng.pick(&[0, 0, 1, 1, 1, 2, 2, 3, 4, 5]),
                lon,
                lat,
                wage_cents_per_day: 12_000 + 500 * rng.below(37) as i64,
                health_certificate: rng.chance(0.3),
                rating_sum: (rating_count as f64 * rng.range(3.0, 5.0)).round() as i64,
                rating_count,
                completed: rng.below(61) as i64,
                no_shows: if rng.chance(0.85) { 0 } else { 1 + rng.below(3) as i64 },
                certified_levels: Default::default(),
            }
        })
        .collect()
}

/// Fresh keys, as tests/harness/mod.rs `test_pii_keys` makes them.
fn pii_keys() -> PiiKeys {
    let (keys, index) = PiiKeys::generate();
    PiiKeys::parse(&keys, &index).expect("generated keys parse")
}

fn account(id: String, kind: &str, phone: &str, keys: &PiiKeys) -> AccountRow {
    AccountRow {
        id,
        kind: kind.into(),
        phone_enc: keys.encrypt(phone),
        password_hash: "bench: no password".into(),
        tenant_code: None,
        status: "active".into(),
        failed_logins: 0,
        locked_until: None,
        created_at: gigmarket::store::stamp(chrono::Utc::now()),
    }
}

// ---------------------------------------------------------------------------------------------
// The databases.

/// A store and rules built like `gigmarket::app::open`, with Kaifeng's tenants and plugins seeded.
struct Db {
    store: Store,
    rules: Rules,
    tenants: Vec<Tenant>,
    _data_dir: tempfile::TempDir,
}

struct SeedTimes {
    accounts: Duration,
    jobs: Duration,
    terms: usize,
    workers: Duration,
    tasks: usize,
}

impl SeedTimes {
    fn print(&self, backend: &str) {
        let per = |d: Duration, count: usize| d.as_secs_f64() * 1e6 / count as f64;
        println!(
            "Seeding ({backend}, {} concurrent task(s)): {} accounts in {:.1?} ({:.0} µs each); {} posts with {} terms through `Store::insert_job` (one transaction per post) in {:.1?} ({:.0} µs per post); {} workers through `upsert_worker_features` + `set_worker_verified` in {:.1?} ({:.0} µs each).\n",
            self.tasks,
            n(EMPLOYERS + WORKERS),
            self.accounts,
            per(self.accounts, EMPLOYERS + WORKERS),
            n(JOBS),
            n(self.terms),
            self.jobs,
            per(self.jobs, JOBS),
            n(WORKERS),
            self.workers,
            per(self.workers, WORKERS),
        );
    }
}

impl Db {
    fn open(rt: &Runtime, database_url: Option<String>, keys: &PiiKeys) -> Db {
        let data_dir = tempfile::tempdir().unwrap();
        let config = Config {
            database_url,
            data_dir: data_dir.path().to_path_buf(),
            tenants_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tenants")),
            plugins_dir: target_dir().join("plugins"),
            plugin_cache_dir: Some(target_dir().join("bench-plugin-cache")),
            pii_keys: Some(keys.clone()),
            ..Config::local()
        };
        assert!(
            config.plugins_dir.join("city_matching.wasm").exists(),
            "build the plugins first: ./dev bench"
        );
        let (store, rules, tenants) = rt.block_on(async {
            let (store, rules) = gigmarket::app::open(&config).await.expect("open the database");
            let tenants = gigmarket::rules::seed::load_files(
                &rules,
                &config.tenants_dir,
                &config.plugins_dir,
            )
            .await
            .expect("seed tenants and plugins");
            (store, rules, tenants)
        });
        Db { store, rules, tenants, _data_dir: data_dir }
    }

    fn tenant(&self, code: &str) -> &Tenant {
        self.tenants
            .iter()
            .find(|t| t.code == code)
            .unwrap_or_else(|| panic!("no market `{code}` in tenants/"))
    }

    /// Accounts, posts and worker features, `tasks` writers at a time.
    fn seed(
        &self,
        rt: &Runtime,
        keys: &PiiKeys,
        jobs: &[Post],
        workers: &[WorkerFeatures],
        tasks: usize,
    ) -> SeedTimes {
        for code in TENANTS {
            self.tenant(code);
        }
        let mut accounts: Vec<(AccountRow, String)> = Vec::with_capacity(EMPLOYERS + WORKERS);
        for i in 0..EMPLOYERS {
            let phone = format!("138{i:08}");
            accounts.push((
                account(employer_id(i), "employer", &phone, keys),
                keys.blind_index("phone", &phone),
            ));
        }
        for (i, w) in workers.iter().enumerate() {
            let phone = format!("139{i:08}");
            accounts.push((
                account(w.account_id.clone(), "worker", &phone, keys),
                keys.blind_index("phone", &phone),
            ));
        }
        let store = &self.store;
        let start = Instant::now();
        rt.block_on(in_parallel(store, Arc::new(accounts), tasks, |s, (a, index)| async move {
            let mut tx = s.begin().await.unwrap();
            assert!(s.insert_account(&mut tx, &a, &index).await.unwrap());
            tx.commit().await.unwrap();
        }));
        let accounts = start.elapsed();

        let posts: Vec<(JobRow, Vec<String>)> =
            jobs.iter().map(|p| (p.row.clone(), p.terms.clone())).collect();
        let start = Instant::now();
        rt.block_on(in_parallel(store, Arc::new(posts), tasks, |s, (row, terms)| async move {
            s.insert_job(&row, &terms).await.unwrap();
        }));
        let jobs_time = start.elapsed();

        let start = Instant::now();
        rt.block_on(in_parallel(store, Arc::new(workers.to_vec()), tasks, |s, w| async move {
            s.upsert_worker_features(&w).await.unwrap();
            s.set_worker_verified(&w.account_id, true).await.unwrap();
        }));
        let workers_time = start.elapsed();
        SeedTimes {
            accounts,
            jobs: jobs_time,
            terms: jobs.iter().map(|p| p.terms.len()).sum(),
            workers: workers_time,
            tasks,
        }
    }
}

/// Run `f` on every item, `tasks` at a time (item `i` on task `i % tasks`).
async fn in_parallel<T, F, Fut>(store: &Store, items: Arc<Vec<T>>, tasks: usize, f: F)
where
    T: Clone + Send + Sync + 'static,
    F: Fn(Store, T) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let mut set = JoinSet::new();
    for k in 0..tasks {
        let (store, items, f) = (store.clone(), items.clone(), f.clone());
        set.spawn(async move {
            for item in items.iter().skip(k).step_by(tasks) {
                f(store.clone(), item.clone()).await;
            }
        });
    }
    while let Some(done) = set.join_next().await {
        done.unwrap();
    }
}

async fn create_pg_database(base: &str) -> Result<String, sqlx::Error> {
    let name = format!("gm_bench_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::postgres::PgConnection::connect(&format!("{base}/postgres")).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut admin).await?;
    admin.close().await?;
    Ok(name)
}

/// The bench's PostgreSQL database, dropped when this goes out of scope (also when a case panics).
struct PgDatabase {
    base: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (base, name) = (self.base.clone(), self.name.clone());
        // A thread of its own: this may run while the bench's runtime is unwinding.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(async {
                let mut admin =
                    sqlx::postgres::PgConnection::connect(&format!("{base}/postgres")).await?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut admin)
                .await
                .map(|_| ())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop the bench database {}; drop it by hand", self.name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 1. The feed.

/// The city feed as the API serves it (`jobs::feed::run`), minus HTTP and the JSON body.
async fn run_feed(store: &Store, keys: &PiiKeys, params: &FeedParams) -> FeedPage {
    feed::run(store, keys, params, None).await.expect("feed page")
}

/// How many posts match `params`, counted in memory, to check the pages and label the rows.
fn matches(jobs: &[Post], params: &FeedParams) -> usize {
    let words = params.q.as_deref().map(terms::query_terms).unwrap_or_default();
    jobs.iter()
        .filter(|p| {
            let r = &p.row;
            r.taken < r.headcount
                && params.district.as_ref().is_none_or(|d| &r.district == d)
                && params.settlement.as_ref().is_none_or(|s| &r.settlement == s)
                && params.wage_min.is_none_or(|w| r.wage_cents_per_day.is_some_and(|x| x >= w))
                && params.wage_max.is_none_or(|w| r.wage_cents_per_day.is_some_and(|x| x <= w))
                && words.iter().all(|w| p.terms.contains(w))
                && match (params.lon, params.lat, params.radius_km) {
                    (Some(lon), Some(lat), Some(km)) => {
                        distance_km(&GeoPoint { lon, lat }, &GeoPoint { lon: r.lon, lat: r.lat })
                            <= km
                    }
                    _ => true,
                }
        })
        .count()
}

fn feed_cases(rt: &Runtime, store: &Store, keys: &PiiKeys, jobs: &[Post]) {
    let near = |q: Option<&str>| FeedParams {
        lon: Some(CENTRE.0),
        lat: Some(CENTRE.1),
        radius_km: Some(5.0),
        q: q.map(str::to_string),
        ..FeedParams::default()
    };
    let cases: Vec<(&str, FeedParams)> = vec![
        ("newest first, no filter", FeedParams::default()),
        ("keyword 装卸", FeedParams { q: Some("装卸".into()), ..FeedParams::default() }),
        (
            "keyword 装卸 + district 410204",
            FeedParams {
                q: Some("装卸".into()),
                district: Some("410204".into()),
                ..FeedParams::default()
            },
        ),
        (
            "wage 200–300 元/day + settlement daily",
            FeedParams {
                wage_min: Some(20_000),
                wage_max: Some(30_000),
                settlement: Some("daily".into()),
                ..FeedParams::default()
            },
        ),
        ("rare keyword 叉车", FeedParams { q: Some(RARE.into()), ..FeedParams::default() }),
        ("5 km around (114.35, 34.79) + keyword 装卸", near(Some("装卸"))),
        ("5 km around (114.35, 34.79), no keyword", near(None)),
    ];
    header();
    let mut baseline = None;
    for (name, params) in &cases {
        let expected = matches(jobs, params);
        let page = rt.block_on(run_feed(store, keys, params));
        assert_eq!(page.jobs.len(), expected.min(20), "{name}: first page");
        let times = measure(100, || {
            black_box(rt.block_on(run_feed(store, keys, params)));
        });
        let label = format!("{name} ({} matches)", n(expected));
        row(&label, times, baseline.map(|b| ratio(times, b)));
        baseline.get_or_insert(times);
    }
    // The radius search without a keyword, split: the database query alone.
    let (query, _) =
        feed::query(&near(None), None, gigmarket::store::stamp(chrono::Utc::now())).unwrap();
    let in_box = rt.block_on(store.feed_points(&query)).unwrap().len();
    let times = measure(100, || {
        black_box(rt.block_on(store.feed_points(&query)).unwrap());
    });
    row(
        &format!("… of which `Store::feed_points` alone ({} posts in the box)", n(in_box)),
        times,
        baseline.map(|b| ratio(times, b)),
    );
    // Page 50 of the unfiltered feed: follow the cursor 49 times, then time the 50th page.
    let mut params = FeedParams::default();
    let mut seen = 0;
    for _ in 0..49 {
        let page = rt.block_on(run_feed(store, keys, &params));
        seen += page.jobs.len();
        params.cursor = Some(page.next_cursor.expect("more pages"));
    }
    assert_eq!(seen, 49 * 20);
    let times = measure(100, || {
        black_box(rt.block_on(run_feed(store, keys, &params)));
    });
    row("newest first, page 50 (cursor after 980 posts)", times, baseline.map(|b| ratio(times, b)));
}

// ---------------------------------------------------------------------------------------------
// 2. The 50 best workers for a job.

/// A typical morning post: loaders near the city market, 200 元 a day.
fn loader_job(jobs: &[Post]) -> JobRow {
    let mut job = jobs[0].row.clone();
    job.tenant_code = "kaifeng".into();
    job.occupation_code = "4-02-05-01".into();
    (job.lon, job.lat) = CENTRE;
    job.wage_unit = "day".into();
    job.wage_cents = 20_000;
    job.wage_cents_per_day = Some(20_000);
    job.details =
        serde_json::to_string(&JobDetails { skill_level: Some(1), ..JobDetails::default() })
            .unwrap();
    job
}

fn top_50(
    rt: &Runtime,
    sqlite: &Db,
    postgres: Option<&Db>,
    jobs: &[Post],
    workers: &[WorkerFeatures],
) {
    header();
    for (backend, db) in [("SQLite", Some(sqlite)), ("PostgreSQL", postgres)] {
        let Some(db) = db else { continue };
        let loaded = rt.block_on(db.store.verified_workers()).unwrap();
        assert_eq!(loaded.len(), WORKERS);
        let times = measure(10, || {
            black_box(rt.block_on(db.store.verified_workers()).unwrap());
        });
        row(
            &format!("load {} verified workers (`Store::verified_workers`), {backend}", n(WORKERS)),
            times,
            None,
        );
    }
    let job = loader_job(jobs);
    let tenant = sqlite.tenant("kaifeng");
    let rules = &sqlite.rules;
    let best = rt.block_on(matching::score_pool(rules, tenant, &job, workers)).unwrap();
    assert_eq!(best.len(), WORKERS, "city_matching scores every candidate");
    let scoring = measure(20, || {
        black_box(matching::top(
            rt.block_on(matching::score_pool(rules, tenant, &job, workers)).unwrap(),
            50,
        ));
    });
    row(
        &format!(
            "score {} workers (`score_pool`, {} calls of {}) + `top(…, 50)`",
            n(WORKERS),
            WORKERS / matching::CHUNK,
            n(matching::CHUNK)
        ),
        scoring,
        None,
    );
    // The same, split: the host building the candidate records, and the plugin calls alone.
    let build = measure(20, || {
        black_box(workers.iter().map(|w| matching::candidate(&job, w)).collect::<Vec<_>>());
    });
    row(
        &format!("… of which building {} candidate records (`matching::candidate`)", n(WORKERS)),
        build,
        Some(ratio(build, scoring)),
    );
    let requests: Vec<MatchRequest> = workers
        .chunks(matching::CHUNK)
        .map(|chunk| MatchRequest {
            today: today(),
            job: matching::job_features(&job),
            candidates: chunk.iter().map(|w| matching::candidate(&job, w)).collect(),
        })
        .collect();
    let calls = measure(20, || {
        // The inner result (the market's plugin failing) is kept as it was: not checked here.
        let _ = black_box(
            rt.block_on(rules.call_many::<MatchingWorld>(tenant, requests.clone())).unwrap(),
        );
    });
    row(
        &format!("… of which the {} plugin calls (`Rules::call_many`)", WORKERS / matching::CHUNK),
        calls,
        Some(ratio(calls, scoring)),
    );
    let shown: Vec<&WorkerFeatures> =
        matching::top(best, 50).iter().map(|s| &workers[s.index]).collect();
    let receipt = measure(100, || {
        black_box(rt.block_on(matching::record(rules, tenant, &job, &shown, "bench")).unwrap());
    });
    row(
        "receipt for the 50 shown (`matching::record`: one call + stored decision), SQLite",
        receipt,
        Some(ratio(receipt, scoring)),
    );
    println!();
}

/// Today as the plugins see it (`matching::score_pool` uses the same, privately).
fn today() -> Date {
    use chrono::Datelike;
    let d = gigmarket::clock::Clock::system().today();
    Date { year: d.year(), month: d.month() as u8, day: d.day() as u8 }
}

// ---------------------------------------------------------------------------------------------
// 3. Batch assignment.

fn batch(rt: &Runtime, sqlite: &Db, jobs: &[Post], workers: &[WorkerFeatures]) {
    let tenant = sqlite.tenant("kaifeng");
    let rules = &sqlite.rules;
    let workers = &workers[..BATCH_WORKERS];
    let mut rng = Rng(3);
    let batch_jobs: Vec<JobRow> = jobs[..BATCH_JOBS]
        .iter()
        .map(|p| {
            let mut j = p.row.clone();
            j.headcount = 1 + rng.below(3) as i64;
            j.taken = 0;
            j
        })
        .collect();
    let headcounts: Vec<u32> = batch_jobs.iter().map(|j| j.headcount as u32).collect();
    let places: u32 = headcounts.iter().sum();
    println!(
        "{} jobs with {} places (headcount 1–3), {} workers, every pair scored by city_matching.\n",
        n(BATCH_JOBS),
        n(places as usize),
        n(BATCH_WORKERS)
    );
    println!(
        "| run | scoring ({} × `score_pool` of {}) | `assign` | total | pairs | edges |\n|---|---|---|---|---|---|",
        n(BATCH_JOBS),
        n(BATCH_WORKERS)
    );
    for run in 1..=BATCH_RUNS {
        let start = Instant::now();
        let edges = rt.block_on(async {
            let mut edges = Vec::with_capacity(BATCH_JOBS * BATCH_WORKERS);
            for (j, job) in batch_jobs.iter().enumerate() {
                let scored = matching::score_pool(rules, tenant, job, workers).await.unwrap();
                edges.extend(scored.iter().map(|s| assign::Edge {
                    job: j,
                    worker: s.index,
                    score: s.score,
                }));
            }
            edges
        });
        let scoring = start.elapsed();
        let solve = Instant::now();
        let chosen = assign::assign(&headcounts, workers.len(), &edges);
        let assignment = solve.elapsed();
        let total = start.elapsed();
        let mut assigned: Vec<usize> = chosen.iter().map(|a| a.worker).collect();
        assigned.sort_unstable();
        assigned.dedup();
        assert_eq!(assigned.len(), chosen.len(), "a worker is assigned once");
        println!(
            "| {run} | {scoring:.2?} | {assignment:.2?} | {total:.2?} | {} of {} places | {} |",
            n(chosen.len()),
            n(places as usize),
            n(edges.len())
        );
        drop(edges);
    }
    // What the API's draft really does per job: the receipt-keeping call over the whole pool.
    let pool: Vec<&WorkerFeatures> = workers.iter().collect();
    let job = &batch_jobs[0];
    let score_only = measure(10, || {
        black_box(rt.block_on(matching::score_pool(rules, tenant, job, workers)).unwrap());
    });
    let with_receipt = measure(10, || {
        black_box(rt.block_on(matching::record(rules, tenant, job, &pool, "bench")).unwrap());
    });
    let (id, _) = rt.block_on(matching::record(rules, tenant, job, &pool, "bench")).unwrap();
    let decision = rt.block_on(rules.decision(&id.expect("matching keeps receipts"))).unwrap();
    let mb = (decision.input.len() + decision.output.len()) as f64 / 1e6;
    println!();
    header();
    row(
        &format!("one job × {} workers: `score_pool` (no receipt)", n(BATCH_WORKERS)),
        score_only,
        None,
    );
    row(
        &format!(
            "one job × {} workers: `matching::record` (receipt of {mb:.1} MB JSON), SQLite",
            n(BATCH_WORKERS)
        ),
        with_receipt,
        Some(ratio(with_receipt, score_only)),
    );
    println!();
}
