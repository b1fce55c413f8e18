//! Chinese keyword search terms, cut by jieba (a dictionary-based Chinese tokenizer).
//!
//! Why a term table instead of `LIKE '%…%'`: substring matching finds 工 in every post and
//! cannot use an index; words cut by a real tokenizer match what people mean and are looked up
//! by primary key on both databases, so both return the same results.
//!
//! A post is indexed with jieba's search mode (every dictionary word inside longer words too:
//! 装卸搬运工 → 装卸, 搬运, 搬运工, 装卸搬运工) plus its precise cut; a query is cut precisely
//! and every one of its words must be among the post's terms.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use jieba_rs::Jieba;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// At most this many terms per post and per query.
const MAX_TERMS: usize = 256;
const MAX_QUERY_TERMS: usize = 8;

/// Load the dictionary now rather than on the first search.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

fn normalise(word: &str) -> Option<String> {
    let word = word.trim();
    if word.is_empty() || !word.chars().any(char::is_alphanumeric) {
        return None;
    }
    Some(word.to_lowercase())
}

/// The terms a post is found by.
pub fn index_terms(text: &str) -> Vec<String> {
    let mut terms = BTreeSet::new();
    for token in JIEBA.cut_for_search(text, true).into_iter().chain(JIEBA.cut(text, false)) {
        if let Some(t) = normalise(token.word) {
            terms.insert(t);
        }
    }
    terms.into_iter().take(MAX_TERMS).collect()
}

/// The words of a query, each of which a post must contain.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> =
        JIEBA.cut(query, false).into_iter().filter_map(|t| normalise(t.word)).collect();
    terms.dedup();
    terms.truncate(MAX_QUERY_TERMS);
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(post: &str, query: &str) -> bool {
        let index = index_terms(post);
        let q = query_terms(query);
        !q.is_empty() && q.iter().all(|t| index.contains(t))
    }

    #[test]
    fn chinese_words_are_found_inside_longer_text() {
        let post = "开封市鼓楼区仓库临时装卸搬运工,日结,包午饭";
        assert!(matches(post, "装卸"));
        assert!(matches(post, "搬运"));
        assert!(matches(post, "仓库 日结"));
        assert!(!matches(post, "保洁"));
        assert!(!matches(post, "仓库 保洁"), "every query word must match");
    }

    #[test]
    fn punctuation_is_not_a_term_and_latin_is_case_folded() {
        let terms = index_terms("叉车司机(Forklift),急招!");
        assert!(terms.iter().all(|t| t.chars().any(char::is_alphanumeric)));
        assert!(terms.contains(&"forklift".to_string()));
        assert!(query_terms(",,, !").is_empty());
    }
}
