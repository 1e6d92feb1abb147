/*
** The schema history.  Each entry is a numbered migration, applied once, in
** order, inside a transaction (db_migrate).  Never edit a released entry:
** add a new one.
**
** Conventions: ids are integers; timestamps are Unix seconds (UTC); calendar
** dates are 'YYYY-MM-DD' text; money is integer minor units beside a
** currency code.  Each module's tables are grouped under its name.
*/
#include "rapport.h"

static const char m1_sql[] =
	/* settings: small key/value configuration (agenda cadences, ...) */
	"CREATE TABLE setting ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	");"
	/* contact */
	"CREATE TABLE contact ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL CHECK (length(name) > 0),"
	"  name_key TEXT NOT NULL,"
	"  address TEXT CHECK (address IN ('ty', 'vy')),"
	"  tier TEXT NOT NULL DEFAULT 'regular'"
	"    CHECK (tier IN ('panel', 'close', 'regular', 'distant')),"
	"  owner TEXT,"
	"  note TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  last_touch_at INTEGER NOT NULL"
	");"
	"CREATE INDEX contact_name_key ON contact(name_key);"
	"CREATE INDEX contact_touch ON contact(tier, last_touch_at);"
	"CREATE INDEX contact_owner_touch ON contact(owner, tier, last_touch_at);"
	"CREATE TABLE contact_channel ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('email', 'phone', 'messenger', 'address', 'web')),"
	"  value TEXT NOT NULL,"
	"  label TEXT,"
	"  UNIQUE (contact_id, kind, value)"
	");"
	"CREATE INDEX channel_value ON contact_channel(kind, value);"
	"CREATE TABLE contact_date ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('birthday', 'anniversary', 'other')),"
	"  label TEXT,"
	"  year INTEGER,"
	"  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),"
	"  day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),"
	"  md INTEGER NOT NULL," /* month * 100 + day: the agenda's key */
	/* Copies of the contact's tier and owner, kept by contact.c, so that the
	** agenda reads a day's dates from one index without visiting contacts. */
	"  tier TEXT NOT NULL DEFAULT 'regular',"
	"  owner TEXT"
	");"
	"CREATE INDEX contact_date_agenda ON contact_date(md, tier, owner, contact_id, kind, year, label);"
	"CREATE INDEX contact_date_contact ON contact_date(contact_id);"
	"CREATE UNIQUE INDEX contact_one_birthday ON contact_date(contact_id) WHERE kind = 'birthday';"
	"CREATE TABLE contact_tag ("
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  tag TEXT NOT NULL,"
	"  PRIMARY KEY (contact_id, tag)"
	");"
	"CREATE INDEX contact_tag_tag ON contact_tag(tag);"
	"CREATE TABLE relation ("
	"  a INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  b INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  kind TEXT NOT NULL CHECK (kind IN ('family', 'friend', 'colleague', 'referred_by')),"
	"  note TEXT,"
	"  PRIMARY KEY (a, b, kind),"
	"  CHECK (a <> b)"
	");"
	"CREATE INDEX relation_b ON relation(b);"
	"CREATE TABLE fact ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  body TEXT NOT NULL CHECK (length(body) > 0),"
	"  follow_up TEXT,"
	"  done_at INTEGER,"
	"  created_at INTEGER NOT NULL,"
	"  created_by TEXT"
	");"
	"CREATE INDEX fact_contact ON fact(contact_id);"
	"CREATE INDEX fact_due ON fact(follow_up) WHERE follow_up IS NOT NULL AND done_at IS NULL;"
	/* timeline */
	"CREATE TABLE interaction ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN"
	"    ('call', 'meeting', 'message', 'email', 'visit', 'purchase', 'complaint', 'note')),"
	"  direction TEXT CHECK (direction IN ('in', 'out')),"
	"  minutes INTEGER CHECK (minutes >= 0),"
	"  amount INTEGER,"
	"  currency TEXT,"
	"  by_user TEXT,"
	"  summary TEXT NOT NULL DEFAULT '',"
	"  CHECK ((amount IS NULL) = (currency IS NULL))"
	");"
	"CREATE INDEX interaction_contact ON interaction(contact_id, at);";

/* SQLite's search capability: FTS5 indexes over the text columns, kept by
** triggers, using the 'rapport' tokenizer (folds case and ё, stems Russian
** and English).  External content: the text is stored once, in its table. */
static const char m1_sqlite[] =
	"CREATE VIRTUAL TABLE contact_fts USING fts5(name, note,"
	"  content='contact', content_rowid='id', tokenize='rapport');"
	"CREATE TRIGGER contact_fts_ai AFTER INSERT ON contact BEGIN"
	"  INSERT INTO contact_fts(rowid, name, note) VALUES (new.id, new.name, new.note);"
	"END;"
	"CREATE TRIGGER contact_fts_ad AFTER DELETE ON contact BEGIN"
	"  INSERT INTO contact_fts(contact_fts, rowid, name, note)"
	"    VALUES ('delete', old.id, old.name, old.note);"
	"END;"
	"CREATE TRIGGER contact_fts_au AFTER UPDATE OF name, note ON contact BEGIN"
	"  INSERT INTO contact_fts(contact_fts, rowid, name, note)"
	"    VALUES ('delete', old.id, old.name, old.note);"
	"  INSERT INTO contact_fts(rowid, name, note) VALUES (new.id, new.name, new.note);"
	"END;"
	"CREATE VIRTUAL TABLE fact_fts USING fts5(body,"
	"  content='fact', content_rowid='id', tokenize='rapport');"
	"CREATE TRIGGER fact_fts_ai AFTER INSERT ON fact BEGIN"
	"  INSERT INTO fact_fts(rowid, body) VALUES (new.id, new.body);"
	"END;"
	"CREATE TRIGGER fact_fts_ad AFTER DELETE ON fact BEGIN"
	"  INSERT INTO fact_fts(fact_fts, rowid, body) VALUES ('delete', old.id, old.body);"
	"END;"
	"CREATE TRIGGER fact_fts_au AFTER UPDATE OF body ON fact BEGIN"
	"  INSERT INTO fact_fts(fact_fts, rowid, body) VALUES ('delete', old.id, old.body);"
	"  INSERT INTO fact_fts(rowid, body) VALUES (new.id, new.body);"
	"END;"
	"CREATE VIRTUAL TABLE interaction_fts USING fts5(summary,"
	"  content='interaction', content_rowid='id', tokenize='rapport');"
	"CREATE TRIGGER interaction_fts_ai AFTER INSERT ON interaction BEGIN"
	"  INSERT INTO interaction_fts(rowid, summary) VALUES (new.id, new.summary);"
	"END;"
	"CREATE TRIGGER interaction_fts_ad AFTER DELETE ON interaction BEGIN"
	"  INSERT INTO interaction_fts(interaction_fts, rowid, summary)"
	"    VALUES ('delete', old.id, old.summary);"
	"END;"
	"CREATE TRIGGER interaction_fts_au AFTER UPDATE OF summary ON interaction BEGIN"
	"  INSERT INTO interaction_fts(interaction_fts, rowid, summary)"
	"    VALUES ('delete', old.id, old.summary);"
	"  INSERT INTO interaction_fts(rowid, summary) VALUES (new.id, new.summary);"
	"END;";

/* PostgreSQL's search capability: beside each searched table a side table
** (contact_tsv, fact_tsv, interaction_tsv) holds each row's tsvector, with
** a GIN index, kept by triggers as SQLite's FTS5 tables are.  rp_tsv keeps
** Russian stems (the 'russian' configuration stems Latin words as English)
** beside the unstemmed words, for prefix queries, with ё folded to е as
** SQLite's tokenizer does.  Stored vectors let ranking read them instead
** of building them again for every hit.  Like the FTS5 tables they are
** not data: a copy of the store builds them from the rows.  An import
** defers them by setting rapport.defer_TABLE for its transaction and
** fills them in one pass (db/postgres.c). */
static const char m1_postgres[] =
	"CREATE FUNCTION rp_tsv(a text, b text) RETURNS tsvector"
	"  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS"
	"  $$ SELECT to_tsvector('russian'::regconfig, x) || to_tsvector('simple'::regconfig, x)"
	"     FROM (SELECT translate(coalesce(a, '') || ' ' || coalesce(b, ''), 'ёЁ', 'еЕ') AS x) AS t $$;"
	"CREATE TABLE contact_tsv (id BIGINT PRIMARY KEY REFERENCES contact(id) ON DELETE CASCADE,"
	"  v tsvector NOT NULL);"
	"CREATE TABLE fact_tsv (id BIGINT PRIMARY KEY REFERENCES fact(id) ON DELETE CASCADE,"
	"  v tsvector NOT NULL);"
	"CREATE TABLE interaction_tsv (id BIGINT PRIMARY KEY REFERENCES interaction(id) ON DELETE CASCADE,"
	"  v tsvector NOT NULL);"
	"CREATE INDEX contact_tsv_v ON contact_tsv USING gin (v);"
	"CREATE INDEX fact_tsv_v ON fact_tsv USING gin (v);"
	"CREATE INDEX interaction_tsv_v ON interaction_tsv USING gin (v);"
	"CREATE FUNCTION rp_tsv_keep() RETURNS trigger LANGUAGE plpgsql AS $$"
	" DECLARE v tsvector; BEGIN"
	"  IF current_setting('rapport.defer_' || TG_TABLE_NAME, true) = 'on' THEN RETURN NULL; END IF;"
	"  IF TG_TABLE_NAME = 'contact' THEN v := rp_tsv(NEW.name, NEW.note);"
	"   INSERT INTO contact_tsv(id, v) VALUES (NEW.id, v) ON CONFLICT (id) DO UPDATE SET v = excluded.v;"
	"  ELSIF TG_TABLE_NAME = 'fact' THEN v := rp_tsv(NEW.body, NULL);"
	"   INSERT INTO fact_tsv(id, v) VALUES (NEW.id, v) ON CONFLICT (id) DO UPDATE SET v = excluded.v;"
	"  ELSE v := rp_tsv(NEW.summary, NULL);"
	"   INSERT INTO interaction_tsv(id, v) VALUES (NEW.id, v) ON CONFLICT (id) DO UPDATE SET v = excluded.v;"
	"  END IF; RETURN NULL; END $$;"
	"CREATE TRIGGER contact_tsv_keep AFTER INSERT OR UPDATE OF name, note ON contact"
	"  FOR EACH ROW EXECUTE FUNCTION rp_tsv_keep();"
	"CREATE TRIGGER fact_tsv_keep AFTER INSERT OR UPDATE OF body ON fact"
	"  FOR EACH ROW EXECUTE FUNCTION rp_tsv_keep();"
	"CREATE TRIGGER interaction_tsv_keep AFTER INSERT OR UPDATE OF summary ON interaction"
	"  FOR EACH ROW EXECUTE FUNCTION rp_tsv_keep();";

/* account: team members, their sessions and API tokens, failed logins
** (for throttling), and the audit log.  Tokens are stored only as hashes. */
static const char m2_sql[] =
	"CREATE TABLE account ("
	"  id INTEGER PRIMARY KEY,"
	"  login TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('viewer', 'staff', 'manager', 'owner')),"
	"  password_hash TEXT NOT NULL,"
	"  disabled_at INTEGER,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE session ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  last_seen_at INTEGER NOT NULL,"
	"  address TEXT"
	");"
	"CREATE INDEX session_account ON session(account_id);"
	"CREATE TABLE api_token ("
	"  id INTEGER PRIMARY KEY,"
	"  account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  label TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  last_used_at INTEGER,"
	"  revoked_at INTEGER"
	");"
	"CREATE INDEX api_token_account ON api_token(account_id);"
	"CREATE TABLE auth_failure ("
	"  key TEXT NOT NULL," /* 'login:NAME' or 'addr:ADDRESS' */
	"  at INTEGER NOT NULL"
	");"
	"CREATE INDEX auth_failure_key ON auth_failure(key, at);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT,"           /* the login, or NULL when nobody was recognised */
	"  action TEXT NOT NULL," /* an operation's name, or 'login' */
	"  target TEXT,"          /* its arguments as JSON, secrets removed */
	"  address TEXT,"         /* the client's address, or 'cli' */
	"  ok INTEGER NOT NULL,"
	"  detail TEXT"
	");"
	"CREATE INDEX audit_at ON audit(at);";

/* permission: the ladder every client climbs (seed 004), consent per
** channel and purpose with its evidence, the single-use links that confirm
** or withdraw it, the outbox that is the only way to write to a client, and
** the suppression list that outlives an erased person.
**
** contact.stage is the current rung (the latest stage_move), kept beside
** the contact so lists and the funnel need no scan of the history.
** consent holds every change, newest last; a contact's current answer for a
** channel and purpose is its latest row.  An outbox row keeps no personal
** data once its contact is erased (contact_id NULL, address and text
** cleared), so the counts of what was sent stay right; a stage_move's
** likewise (its why and evidence cleared), so the funnel's do. */
static const char m3_sql[] =
	"ALTER TABLE contact ADD COLUMN stage TEXT NOT NULL DEFAULT 'stranger'"
	"  CHECK (stage IN ('stranger', 'attention', 'yes', 'dialogue', 'trust', 'customer', 'advocate'));"
	"CREATE INDEX contact_stage ON contact(stage);"
	"CREATE TABLE stage_move ("
	"  id INTEGER PRIMARY KEY,"
	/* NULL once the contact is erased: the funnel's past counts stay right */
	"  contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,"
	"  from_stage TEXT NOT NULL,"
	"  to_stage TEXT NOT NULL"
	"    CHECK (to_stage IN ('stranger', 'attention', 'yes', 'dialogue', 'trust', 'customer', 'advocate')),"
	"  at INTEGER NOT NULL,"
	"  by_user TEXT,"          /* the team member, or NULL when an event moved it */
	"  cause TEXT NOT NULL"    /* what moved it; 'merge': two records of one client joined */
	"    CHECK (cause IN ('person', 'consent', 'revoke', 'purchase', 'referral', 'import', 'merge')),"
	"  why TEXT,"
	"  evidence TEXT"
	");"
	"CREATE INDEX stage_move_contact ON stage_move(contact_id, at);"
	"CREATE INDEX stage_move_at ON stage_move(at);"
	"CREATE TABLE consent ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  channel TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'sms', 'messenger', 'post')),"
	"  purpose TEXT NOT NULL CHECK (purpose IN ('service', 'news', 'offers', 'surveys')),"
	"  state TEXT NOT NULL CHECK (state IN ('pending', 'granted', 'revoked')),"
	"  at INTEGER NOT NULL,"
	"  how TEXT NOT NULL CHECK (how IN ('form', 'call', 'in_person', 'import', 'link', 'signup')),"
	"  evidence TEXT,"          /* what the client was shown, or the file and line */
	"  by_user TEXT"
	");"
	"CREATE INDEX consent_contact ON consent(contact_id, channel, purpose, id);"
	"CREATE TABLE consent_link ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  channel TEXT NOT NULL,"
	"  purpose TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('confirm', 'withdraw')),"
	"  token_hash TEXT NOT NULL UNIQUE," /* the link's token is never stored */
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER,"      /* NULL: a withdrawal link does not expire */
	"  used_at INTEGER"
	");"
	"CREATE INDEX consent_link_contact ON consent_link(contact_id);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER REFERENCES contact(id) ON DELETE SET NULL,"
	"  channel TEXT NOT NULL,"
	"  purpose TEXT NOT NULL,"
	"  address TEXT,"
	"  subject TEXT,"
	"  body TEXT,"
	"  state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'refused', 'failed')),"
	"  reason TEXT,"             /* why it was refused or failed */
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  by_user TEXT"
	");"
	"CREATE INDEX outbox_contact ON outbox(contact_id);"
	"CREATE INDEX outbox_state ON outbox(state, created_at);"
	"CREATE TABLE suppression ("
	"  hash TEXT PRIMARY KEY,"   /* keyed hash of a normalised email or phone */
	"  kind TEXT NOT NULL,"
	"  at INTEGER NOT NULL"
	");";

/* scenarios: stories clients tell in their own words (how they chose us,
** how dealing with us went, what they think of the product, what their
** friends choose, what they live by), each with its kind, an optional tone
** set by a person, tags and who recorded it.  Searched like facts. */
static const char m4_sql[] =
	"CREATE TABLE story ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  told_on TEXT NOT NULL," /* 'YYYY-MM-DD' */
	"  kind TEXT NOT NULL CHECK (kind IN ('choice', 'interaction', 'product', 'friends', 'life')),"
	"  tone TEXT CHECK (tone IS NULL OR tone IN ('positive', 'neutral', 'negative')),"
	"  body TEXT NOT NULL CHECK (length(body) > 0),"
	"  by_user TEXT,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX story_contact ON story(contact_id, told_on);"
	"CREATE INDEX story_kind ON story(kind, told_on);"
	"CREATE TABLE story_tag ("
	"  story_id INTEGER NOT NULL REFERENCES story(id) ON DELETE CASCADE,"
	"  tag TEXT NOT NULL,"
	"  PRIMARY KEY (story_id, tag)"
	");"
	/* A lesson: what the business changes because of what clients told,
	** for the whole process or one segment (free text for now, e.g.
	** 'tier:close'), owned by one login until done or dropped.  Erasing a
	** client takes their stories' links, never the lesson. */
	"CREATE TABLE lesson ("
	"  id INTEGER PRIMARY KEY,"
	"  title TEXT NOT NULL CHECK (length(title) > 0),"
	"  segment TEXT,"
	"  owner TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('open', 'doing', 'done', 'dropped')),"
	"  note TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  created_by TEXT,"
	"  done_at INTEGER"
	");"
	"CREATE INDEX lesson_owner ON lesson(owner, status);"
	"CREATE TABLE lesson_story ("
	"  lesson_id INTEGER NOT NULL REFERENCES lesson(id) ON DELETE CASCADE,"
	"  story_id INTEGER NOT NULL REFERENCES story(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (lesson_id, story_id)"
	");"
	"CREATE INDEX lesson_story_story ON lesson_story(story_id);";

static const char m4_sqlite[] =
	"CREATE VIRTUAL TABLE story_fts USING fts5(body,"
	"  content='story', content_rowid='id', tokenize='rapport');"
	"CREATE TRIGGER story_fts_ai AFTER INSERT ON story BEGIN"
	"  INSERT INTO story_fts(rowid, body) VALUES (new.id, new.body);"
	"END;"
	"CREATE TRIGGER story_fts_ad AFTER DELETE ON story BEGIN"
	"  INSERT INTO story_fts(story_fts, rowid, body) VALUES ('delete', old.id, old.body);"
	"END;"
	"CREATE TRIGGER story_fts_au AFTER UPDATE OF body ON story BEGIN"
	"  INSERT INTO story_fts(story_fts, rowid, body) VALUES ('delete', old.id, old.body);"
	"  INSERT INTO story_fts(rowid, body) VALUES (new.id, new.body);"
	"END;";

/* Migration 1's rp_tsv_keep is released and stays as it is: stories get a
** function of their own.  Stories are never imported, so it has no
** deferred mode. */
static const char m4_postgres[] =
	"CREATE TABLE story_tsv (id BIGINT PRIMARY KEY REFERENCES story(id) ON DELETE CASCADE,"
	"  v tsvector NOT NULL);"
	"CREATE INDEX story_tsv_v ON story_tsv USING gin (v);"
	"CREATE FUNCTION rp_story_tsv_keep() RETURNS trigger LANGUAGE plpgsql AS $$"
	" BEGIN"
	"  INSERT INTO story_tsv(id, v) VALUES (NEW.id, rp_tsv(NEW.body, NULL))"
	"   ON CONFLICT (id) DO UPDATE SET v = excluded.v;"
	"  RETURN NULL; END $$;"
	"CREATE TRIGGER story_tsv_keep AFTER INSERT OR UPDATE OF body ON story"
	"  FOR EACH ROW EXECUTE FUNCTION rp_story_tsv_keep();";

/* panel: the few clients followed closely and interviewed on a cadence
** (seed 003).  Membership is a row here beside tier 'panel' on the contact;
** prior_tier is the tier they go back to on leaving.  The panel is small:
** the agenda reads it whole and finds each member's latest story and
** interaction through story_contact and interaction_contact.  The primary
** key is a table constraint so that PostgreSQL does not make the column an
** identity (the ids are contacts'). */
static const char m5_sql[] =
	"CREATE TABLE panel ("
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  cadence_days INTEGER NOT NULL DEFAULT 30 CHECK (cadence_days BETWEEN 1 AND 3650),"
	"  joined_on TEXT NOT NULL," /* 'YYYY-MM-DD' */
	"  by_user TEXT,"
	"  prior_tier TEXT NOT NULL DEFAULT 'regular' CHECK (prior_tier IN ('close', 'regular', 'distant')),"
	"  PRIMARY KEY (contact_id)"
	");";

/* Themes and the stories report read the stories told since a day, newest
** first (core/similar.c, core/report.c): without this index that is a
** scan of every story. */
static const char m6_sql[] = "CREATE INDEX story_told ON story(told_on, id);";

/* complaint: a client's complaint, opened from a message, a call or the UI
** (seed 004: answered in five minutes with an apology and a make-good it
** builds trust).  first response and resolution are times (seconds since
** 1970); make_good_cost is in minor units of currency, like interaction
** amounts.  The open, unanswered ones are read by the agenda through
** complaint_waiting. */
static const char m7_sql[] =
	"CREATE TABLE complaint ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  interaction_id INTEGER REFERENCES interaction(id) ON DELETE SET NULL,"
	"  channel TEXT NOT NULL CHECK (channel IN ('call', 'message', 'email', 'visit', 'ui')),"
	"  body TEXT NOT NULL CHECK (length(body) > 0),"
	"  opened_at INTEGER NOT NULL,"
	"  opened_by TEXT,"
	"  duty TEXT," /* who is on duty for it: a login, NULL for everyone */
	"  answered_at INTEGER,"
	"  answer TEXT,"
	"  answered_by TEXT,"
	"  resolved_at INTEGER,"
	"  resolution TEXT,"
	"  apology INTEGER NOT NULL DEFAULT 0 CHECK (apology IN (0, 1)),"
	"  make_good TEXT,"
	"  make_good_cost INTEGER CHECK (make_good_cost >= 0),"
	"  currency TEXT,"
	"  CHECK ((make_good_cost IS NULL) = (currency IS NULL)),"
	"  CHECK (answered_at IS NULL OR answered_at >= opened_at),"
	"  CHECK (resolved_at IS NULL OR answered_at IS NOT NULL)"
	");"
	"CREATE INDEX complaint_contact ON complaint(contact_id, opened_at);"
	"CREATE INDEX complaint_waiting ON complaint(answered_at, opened_at);";

/* Customer value (seed 004).  value_fit keeps each fit of the purchase
** and spend models to the timeline, its parameters as JSON text (the
** store copy moves integers and text only, so no column is REAL).
** value_score is each scored client's latest result: money in minor units
** of the fit's currency, probabilities in parts per million, the rest
** (RFM, cost to serve, the numbers behind the reasons) as JSON in detail;
** p_alive_before is the client's P(alive) at the fit before, for the
** agenda's "falling".  cadence_stop: a client let go, whom the agenda no
** longer asks to keep in touch with. */
static const char m8_sql[] =
	"CREATE TABLE value_fit ("
	"  id INTEGER PRIMARY KEY,"
	"  fitted_at INTEGER NOT NULL,"
	"  until_on TEXT NOT NULL," /* 'YYYY-MM-DD': the end of the calibration period */
	"  currency TEXT NOT NULL,"
	"  customers INTEGER NOT NULL,"
	"  repeat_buyers INTEGER NOT NULL,"
	"  params TEXT NOT NULL,"
	"  by_user TEXT"
	");"
	"CREATE TABLE value_score ("
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  fit_id INTEGER NOT NULL REFERENCES value_fit(id) ON DELETE CASCADE,"
	"  clv INTEGER NOT NULL,"
	"  p_alive INTEGER NOT NULL CHECK (p_alive BETWEEN 0 AND 1000000),"
	"  p_alive_before INTEGER CHECK (p_alive_before BETWEEN 0 AND 1000000),"
	"  expected_margin INTEGER NOT NULL,"
	"  segment TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  PRIMARY KEY (contact_id)"
	");"
	"CREATE INDEX value_score_clv ON value_score(clv, contact_id);"
	"CREATE INDEX value_score_margin ON value_score(expected_margin, contact_id);"
	"CREATE INDEX value_score_fit ON value_score(fit_id);"
	"CREATE TABLE cadence_stop ("
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL,"
	"  by_user TEXT,"
	"  note_interaction INTEGER REFERENCES interaction(id) ON DELETE SET NULL,"
	"  PRIMARY KEY (contact_id)"
	");";

/* The trust ledger and communities (seed 000: the repeated game of
** cooperate or defect between the company and its clients).  trust_act is
** one act of one side, on a day, with what happened and where it came from
** (an interaction, a complaint: both kept when those go, the act stays).
** The trust state, score and agenda read a contact's acts through
** trust_act_contact and the company's defections through trust_act_side
** (core/trust.c).  community names are unique case-insensitively through
** name_key (folded as contact names are).  No column is REAL: the store
** copy moves integers and text only. */
static const char m9_sql[] =
	"CREATE TABLE trust_act ("
	"  id INTEGER PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  by_side TEXT NOT NULL CHECK (by_side IN ('company', 'client')),"
	"  act TEXT NOT NULL CHECK (act IN ('cooperate', 'defect')),"
	"  body TEXT NOT NULL CHECK (length(body) > 0),"
	"  on_day TEXT NOT NULL," /* 'YYYY-MM-DD' */
	"  interaction_id INTEGER REFERENCES interaction(id) ON DELETE SET NULL,"
	"  complaint_id INTEGER REFERENCES complaint(id) ON DELETE SET NULL,"
	"  recorded_at INTEGER NOT NULL,"
	"  by_user TEXT"
	");"
	"CREATE INDEX trust_act_contact ON trust_act(contact_id, on_day, id);"
	"CREATE INDEX trust_act_side ON trust_act(by_side, act, on_day);"
	"CREATE INDEX trust_act_complaint ON trust_act(complaint_id);"
	"CREATE TABLE community ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL CHECK (length(name) > 0),"
	"  name_key TEXT NOT NULL UNIQUE,"
	"  rules TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  by_user TEXT"
	");"
	"CREATE TABLE community_member ("
	"  community_id INTEGER NOT NULL REFERENCES community(id) ON DELETE CASCADE,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  role TEXT NOT NULL,"
	"  joined_on TEXT NOT NULL," /* 'YYYY-MM-DD' */
	"  PRIMARY KEY (community_id, contact_id)"
	");"
	"CREATE INDEX community_member_contact ON community_member(contact_id);";


/* Alignment (seed 001): the company's value profile, each contact's traits
** on the same dimensions, the clients a person marked as the best, and the
** public intake form's requests.  Positions, trait values and weights are
** thousandths (-1000..1000, 0..1000), the score too: the store copy moves
** integers and text only.  A dimension from a preset keeps its texts NULL
** and names the preset, so that it is shown in the reader's language; typed
** texts override.  An intake request keeps the answers, the consent the
** form recorded and the reasons (both languages) as JSON text; it is the
** person's data: it goes with the contact it created, and a declined one
** is purged intake.keep_days (default 90) after the decision. */
static const char m10_sql[] =
	"CREATE TABLE profile_dimension ("
	"  key TEXT PRIMARY KEY,"
	"  position INTEGER NOT NULL CHECK (position BETWEEN -1000 AND 1000),"
	"  weight INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 1000),"
	"  preset TEXT,"
	"  left_label TEXT,"
	"  right_label TEXT,"
	"  question TEXT,"
	"  sort INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  updated_by TEXT"
	");"
	"CREATE TABLE contact_trait ("
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  dimension TEXT NOT NULL,"
	"  value INTEGER NOT NULL CHECK (value BETWEEN -1000 AND 1000),"
	"  source TEXT NOT NULL CHECK (source IN ('person', 'questionnaire', 'tag')),"
	"  set_at INTEGER NOT NULL,"
	"  set_by TEXT,"
	"  PRIMARY KEY (contact_id, dimension)"
	");"
	"CREATE TABLE best_client ("
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  marked_at INTEGER NOT NULL,"
	"  marked_by TEXT,"
	"  PRIMARY KEY (contact_id)"
	");"
	"CREATE TABLE intake_request ("
	"  id INTEGER PRIMARY KEY,"
	"  received_at INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  email TEXT,"
	"  phone TEXT,"
	"  message TEXT NOT NULL,"
	"  answers TEXT NOT NULL,"
	"  consent TEXT NOT NULL,"
	"  lang TEXT NOT NULL,"
	"  score INTEGER,"
	"  coverage INTEGER NOT NULL,"
	"  verdict TEXT NOT NULL CHECK (verdict IN ('ours', 'maybe', 'not ours', 'unknown')),"
	"  reasons TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),"
	"  decided_at INTEGER,"
	"  decided_by TEXT,"
	"  reply TEXT,"
	"  contact_id INTEGER REFERENCES contact(id) ON DELETE CASCADE"
	");"
	"CREATE INDEX intake_request_status ON intake_request(status, received_at);"
	"CREATE INDEX intake_request_contact ON intake_request(contact_id);";

/* The ids other systems give a contact (a vCard's UID, a Google Contacts
** resource name), so that importing their files again updates the
** contact instead of adding it twice.  xid is "SOURCE:ID" (vcard:...,
** google:...); one belongs to one contact, a contact may have several
** (merged duplicates keep both). */
static const char m11_sql[] =
	"CREATE TABLE contact_xid ("
	"  xid TEXT PRIMARY KEY,"
	"  contact_id INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE INDEX contact_xid_contact ON contact_xid(contact_id);";

/* Migration 12: the calendar feed and webhooks.  A member's feed is read at
** a secret address; only the hash of its token is kept (as for API
** tokens), with the language its titles are written in.  A webhook keeps
** its signing secret as given (it must sign with it); a delivery is queued
** in the transaction of the write it tells of, and keeps its attempts:
** status 'pending' (next_at: when to try), 'delivered' or 'failed' (given
** up).  Its data are ids and words, never a person's details, so an erased
** contact leaves nothing personal in the queue. */
static const char m12_sql[] =
	"CREATE TABLE feed_token ("
	"  account_id INTEGER PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  lang TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL"
	");"
	"CREATE TABLE webhook ("
	"  id INTEGER PRIMARY KEY,"
	"  url TEXT NOT NULL,"
	"  events TEXT NOT NULL,"
	"  secret TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  created_by TEXT"
	");"
	"CREATE TABLE webhook_delivery ("
	"  id INTEGER PRIMARY KEY,"
	"  webhook_id INTEGER NOT NULL REFERENCES webhook(id) ON DELETE CASCADE,"
	"  event TEXT NOT NULL,"
	"  data TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at INTEGER,"
	"  last_at INTEGER,"
	"  last_code INTEGER,"
	"  last_error TEXT"
	");"
	"CREATE INDEX webhook_delivery_queue ON webhook_delivery(webhook_id, status, id);";

/* Merging duplicates (core/merge.c, core/dupes.c).  A merge's journal holds
** what it changed, as JSON text, so that it can be undone: the duplicate's
** row and every row the merge moved, rewrote, added or removed.  keep_id
** and other_id have no foreign key on purpose: the duplicate is gone once
** merged, and a later merge of keep must not take earlier journals with it
** (erasure and 'contact rm' remove them: merge_forget). */
static const char m13_sql[] =
	"CREATE TABLE merge_journal ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  keep_id INTEGER NOT NULL,"
	"  other_id INTEGER NOT NULL,"
	"  keep_name TEXT NOT NULL,"
	"  other_name TEXT NOT NULL,"
	"  by_user TEXT,"
	"  changes TEXT NOT NULL,"
	"  undone_at INTEGER"
	");"
	"CREATE INDEX merge_journal_keep ON merge_journal(keep_id);"
	"CREATE INDEX merge_journal_other ON merge_journal(other_id);"
	/* Pairs a person looked at and found to be two people. */
	"CREATE TABLE dupe_dismissed ("
	"  a INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  b INTEGER NOT NULL REFERENCES contact(id) ON DELETE CASCADE,"
	"  at INTEGER NOT NULL,"
	"  by_user TEXT,"
	"  PRIMARY KEY (a, b),"
	"  CHECK (a < b)"
	");"
	"CREATE INDEX dupe_dismissed_b ON dupe_dismissed(b);";

const db_migration rp_migrations[] = {
	{1, "contacts, timeline, search", m1_sql, {"sqlite", "postgres"}, {m1_sqlite, m1_postgres}},
	{2, "accounts, sessions, tokens, audit", m2_sql, {NULL}, {NULL}},
	{3, "permission ladder, consent, outbox, suppression", m3_sql, {NULL}, {NULL}},
	{4, "stories", m4_sql, {"sqlite", "postgres"}, {m4_sqlite, m4_postgres}},
	{5, "panel", m5_sql, {NULL}, {NULL}},
	{6, "stories by the day told", m6_sql, {NULL}, {NULL}},
	{7, "complaints", m7_sql, {NULL}, {NULL}},
	{8, "customer value", m8_sql, {NULL}, {NULL}},
	{9, "trust ledger, communities", m9_sql, {NULL}, {NULL}},
	{10, "value profile, traits, intake", m10_sql, {NULL}, {NULL}},
	{11, "external ids of contacts", m11_sql, {NULL}, {NULL}},
	{12, "calendar feed, webhooks", m12_sql, {NULL}, {NULL}},
	{13, "merge journal, dismissed duplicates", m13_sql, {NULL}, {NULL}},
};
const int rp_nmigrations = sizeof rp_migrations / sizeof rp_migrations[0];

/* Every data table of the store, parents before the tables whose foreign
** keys point at them, each with the columns that order its rows (its
** primary key; none for auth_failure, which holds only the last minutes'
** failed logins) and its integer columns (the others hold text).
** 'rapport migrate-store' copies exactly these tables, in this order, and
** compares them after the copy; it needs the integer columns because
** PostgreSQL takes a value for one only as a number.
**
** A migration that adds a table or a column must add it here too, or a
** copy of the store leaves it behind (test_copy compares this list with the
** tables and columns of a new store).  The engines' own search tables
** (SQLite's FTS5 tables) are not data: the target builds them from the
** rows. */
const rp_table rp_tables[] = {
	{"setting", {"key"}, {NULL}},
	{"contact", {"id"}, {"id", "created_at", "updated_at", "last_touch_at"}},
	{"contact_channel", {"id"}, {"id", "contact_id"}},
	{"contact_date", {"id"}, {"id", "contact_id", "year", "month", "day", "md"}},
	{"contact_tag", {"contact_id", "tag"}, {"contact_id"}},
	{"relation", {"a", "b", "kind"}, {"a", "b"}},
	{"fact", {"id"}, {"id", "contact_id", "done_at", "created_at"}},
	{"interaction", {"id"}, {"id", "contact_id", "at", "minutes", "amount"}},
	{"story", {"id"}, {"id", "contact_id", "created_at"}},
	{"story_tag", {"story_id", "tag"}, {"story_id"}},
	{"lesson", {"id"}, {"id", "created_at", "done_at"}},
	{"lesson_story", {"lesson_id", "story_id"}, {"lesson_id", "story_id"}},
	{"panel", {"contact_id"}, {"contact_id", "cadence_days"}},
	{"complaint", {"id"},
	 {"id", "contact_id", "interaction_id", "opened_at", "answered_at", "resolved_at", "apology", "make_good_cost"}},
	{"value_fit", {"id"}, {"id", "fitted_at", "customers", "repeat_buyers"}},
	{"value_score", {"contact_id"}, {"contact_id", "fit_id", "clv", "p_alive", "p_alive_before", "expected_margin"}},
	{"cadence_stop", {"contact_id"}, {"contact_id", "at", "note_interaction"}},
	{"trust_act", {"id"}, {"id", "contact_id", "interaction_id", "complaint_id", "recorded_at"}},
	{"community", {"id"}, {"id", "created_at"}},
	{"community_member", {"community_id", "contact_id"}, {"community_id", "contact_id"}},
	{"account", {"id"}, {"id", "disabled_at", "created_at"}},
	{"session", {"id"}, {"id", "account_id", "created_at", "last_seen_at"}},
	{"api_token", {"id"}, {"id", "account_id", "created_at", "last_used_at", "revoked_at"}},
	{"auth_failure", {NULL}, {"at"}},
	{"audit", {"id"}, {"id", "at", "ok"}},
	{"stage_move", {"id"}, {"id", "contact_id", "at"}},
	{"consent", {"id"}, {"id", "contact_id", "at"}},
	{"consent_link", {"id"}, {"id", "contact_id", "created_at", "expires_at", "used_at"}},
	{"outbox", {"id"}, {"id", "contact_id", "created_at", "sent_at"}},
	{"suppression", {"hash"}, {"at"}},
	{"profile_dimension", {"key"}, {"position", "weight", "sort", "updated_at"}},
	{"contact_trait", {"contact_id", "dimension"}, {"contact_id", "value", "set_at"}},
	{"best_client", {"contact_id"}, {"contact_id", "marked_at"}},
	{"intake_request", {"id"}, {"id", "received_at", "score", "coverage", "decided_at", "contact_id"}},
	{"contact_xid", {"xid"}, {"contact_id", "created_at"}},
	{"merge_journal", {"id"}, {"id", "at", "keep_id", "other_id", "undone_at"}},
	{"dupe_dismissed", {"a", "b"}, {"a", "b", "at"}},
	{"feed_token", {"account_id"}, {"account_id", "created_at"}},
	{"webhook", {"id"}, {"id", "created_at"}},
	{"webhook_delivery", {"id"}, {"id", "webhook_id", "created_at", "attempts", "next_at", "last_at", "last_code"}},
};
const int rp_ntables = sizeof rp_tables / sizeof rp_tables[0];
