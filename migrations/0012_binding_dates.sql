-- Effective dates used to be compared as text, and dates outside any plausible range were
-- accepted: chrono wrote year 10000 as '+10000-01-01' (in force at once, since '+' < '2') and
-- years 0 and -1 as '0000-01-01' and '-0001-01-01'. The host now accepts only 2000-01-01 to
-- 2100-12-31 and compares dates as dates. A version stored with a date outside that range is
-- moved to the last day of the range, so it does not take effect: the tenant keeps the version
-- it had before, or its parent's rule, until an administrator binds a valid one.
UPDATE slot_bindings SET effective_from = '2100-12-31'
WHERE effective_from IS NOT NULL
  AND (length(effective_from) <> 10 OR effective_from < '2000-01-01' OR effective_from > '2100-12-31');
