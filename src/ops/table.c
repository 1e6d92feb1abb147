/*
** The table of operations.  Add a capability here once and both edges get
** it: the command line now, the HTTP API with the same name and JSON.
*/
#include "ops/ops.h"

#define CONTACT_FIELDS(req)                                                                     \
	{"address", ARG_STR, 0, "ty|vy", "form of address: ty (informal) or vy (formal)"},          \
	{"tier", ARG_STR, 0, "TIER", "closeness: panel, close, regular (default) or distant"},      \
	{"owner", ARG_STR, 0, "LOGIN", "the team member who looks after the contact"},              \
	{"birthday", ARG_STR, 0, "DATE", "YYYY-MM-DD, or --MM-DD when the year is unknown"},        \
	{"email", ARG_LIST, 0, "EMAIL", "an email address (repeatable)"},                           \
	{"phone", ARG_LIST, 0, "PHONE", "a phone number, e.g. +79161234567 (repeatable)"},          \
	{"messenger", ARG_LIST, 0, "HANDLE", "a messenger handle, e.g. telegram:@anna (repeatable)"}, \
	{"postal", ARG_LIST, 0, "ADDRESS", "a postal address (repeatable)"},                        \
	{"tag", ARG_LIST, 0, "TAG", "a tag (repeatable)"},                                          \
	{"note", ARG_STR, 0, "TEXT", "a note about the contact"},                                  \
	{"unsuppress", ARG_FLAG, 0, NULL, "take an email or phone of a person erased at their request"  \
	 " (only when they ask to be added again)"}

const op ops_table[] = {
	{"init", "create the database, or bring it up to date", ROLE_OWNER, OP_WRITE | OP_NODB | OP_LOCAL, NULL, NULL, op_init,
	 {{0}},
	 "Creates the store named by --db (a SQLite file, default ./rapport.db, or a\n"
	 "postgres://USER@HOST:PORT/DB URL, whose database is made if the server has none by that\n"
	 "name) with the current schema, or applies any newer migrations to an existing one."},

	{"migrate-store", "copy a whole store into another (SQLite file or PostgreSQL URL)", ROLE_OWNER, OP_WRITE | OP_NODB | OP_LOCAL, NULL, NULL, op_migrate_store,
	 {{"from", ARG_STR, ARG_REQ | ARG_LOCAL, "SOURCE", "the store to copy: a SQLite file or a postgres:// URL"},
	  {"to", ARG_STR, ARG_REQ | ARG_LOCAL, "TARGET", "where to copy it: a new or empty store, created if missing"}},
	 "Copies every table with its ids in one transaction, then compares each table's rows\n"
	 "and checksum with the source before committing; any difference copies nothing.\n"
	 "The source must be at this version's schema (run 'rapport --db SOURCE init' first)\n"
	 "and is only read; a target that holds any row is refused.  Search indexes are built\n"
	 "by the target.  Passwords in URLs are shown as ***.  --db is not used.\n"
	 "Example:\n"
	 "  rapport migrate-store --from rapport.db --to postgres://rapport@db.example.org/rapport"},

	{"backup", "copy the whole store into a file, while others go on writing", ROLE_OWNER, OP_READ | OP_LOCAL, NULL, NULL, op_backup,
	 {{"file", ARG_STR, ARG_POS | ARG_REQ | ARG_LOCAL, "FILE", "the backup file to write (replaced if it exists)"}},
	 "Copies the store as it is at one moment, without stopping the server or other writers:\n"
	 "a SQLite store with SQLite's online backup API (the file is a SQLite database), a\n"
	 "PostgreSQL store with pg_dump's custom format (pg_dump must be installed, of the\n"
	 "server's major version or newer).  The copy is written to FILE.tmp, checked (SQLite:\n"
	 "integrity_check; PostgreSQL: read back by pg_restore), synced to disk and only then\n"
	 "renamed to FILE, so an interrupted backup never leaves a half file under FILE.\n"
	 "Example:\n"
	 "  rapport backup /var/backups/rapport-$(date +%F).db"},

	{"restore", "put a backup in place of the store's contents", ROLE_OWNER, OP_WRITE | OP_NODB | OP_LOCAL | OP_JSON, NULL, NULL, op_restore,
	 {{"file", ARG_STR, ARG_POS | ARG_REQ | ARG_LOCAL, "FILE", "a file written by 'rapport backup' on the same engine"},
	  {"force", ARG_FLAG, 0, NULL, "replace a store that holds data (it is lost)"}},
	 "Checks the backup, then restores it into the store named by --db (created if missing)\n"
	 "in one transaction: a restore that fails or is interrupted leaves the store as it was.\n"
	 "A store that holds any row is refused unless --force.  A backup of an older schema is\n"
	 "brought up to date after it is restored.  Stop the server while restoring: requests\n"
	 "wait for the restore and then see the restored store.\n"
	 "Example:\n"
	 "  rapport --db rapport.db restore /var/backups/rapport-2026-11-30.db"},

	{"contact add", "add a person or organisation", ROLE_STAFF, OP_WRITE, "POST", "/api/v1/contacts", op_contact_add,
	 {{"name", ARG_STR, ARG_POS | ARG_REQ, "NAME", "the name, in any script"}, CONTACT_FIELDS(0)},
	 "Example:\n  rapport contact add \"Анна Петровна Иванова\" --birthday 1980-11-23 --tier close \\\n"
	 "      --address vy --email anna@example.org --phone +79161234567 --tag vip"},

	{"contact show", "show everything remembered about a contact", ROLE_VIEWER, OP_READ | OP_CACHE, "GET", "/api/v1/contacts/{contact}", op_contact_show,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 NULL},

	{"contact list", "list contacts", ROLE_VIEWER, OP_READ | OP_CACHE, "GET", "/api/v1/contacts", op_contact_list,
	 {{"name", ARG_STR, 0, "TEXT", "only names containing TEXT"},
	  {"tag", ARG_STR, 0, "TAG", "only contacts with this tag"},
	  {"tier", ARG_STR, 0, "TIER", "only this tier"},
	  {"owner", ARG_STR, 0, "LOGIN", "only this owner's contacts"},
	  {"limit", ARG_INT, 0, "N", "at most N (default 50)"},
	  {"offset", ARG_INT, 0, "N", "skip the first N"}},
	 NULL},

	{"contact edit", "change a contact", ROLE_STAFF, OP_WRITE, "PATCH", "/api/v1/contacts/{contact}", op_contact_edit,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"name", ARG_STR, 0, "NAME", "a new name"},
	  CONTACT_FIELDS(0),
	  {"rm_email", ARG_LIST, 0, "EMAIL", "remove an email address"},
	  {"rm_phone", ARG_LIST, 0, "PHONE", "remove a phone number"},
	  {"rm_tag", ARG_LIST, 0, "TAG", "remove a tag"}},
	 "Lists (--email, --phone, --tag, ...) add; --rm-... remove.  An empty value clears\n"
	 "--address, --owner and --note; --birthday none clears the birthday."},

	{"contact rm", "remove a contact and everything about them", ROLE_MANAGER, OP_WRITE, "DELETE", "/api/v1/contacts/{contact}", op_contact_rm,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 NULL},

	{"contact merge", "fold a duplicate into a contact and remove the duplicate", ROLE_MANAGER, OP_WRITE, "POST",
	 "/api/v1/contacts/{contact}/merge", op_contact_merge,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "the contact to keep (an id or any unique part of the name)"},
	  {"other", ARG_STR, ARG_POS | ARG_REQ, "DUPLICATE", "the duplicate, removed once its channels, tags, dates,"
	   " relations, facts, interactions, stories and complaints have moved"}},
	 "The kept contact's name, tier and birthday win; an empty address, owner or note is filled\n"
	 "from the duplicate, and two notes are joined.  Prints the merge id 'merge undo' takes.\n"
	 "Example:\n  rapport contact merge 17 42"},

	{"merge", "fold a duplicate into a contact, undoably (the same as 'contact merge')", ROLE_MANAGER, OP_WRITE, "POST",
	 "/api/v1/merges", op_merge,
	 {{"keep", ARG_STR, ARG_POS | ARG_REQ, "KEEP", "the contact to keep (an id or any unique part of the name)"},
	  {"other", ARG_STR, ARG_POS | ARG_REQ, "OTHER", "the duplicate, removed once everything about it has moved"}},
	 "Every interaction, fact, story, consent, ledger entry, relationship, tag, channel and\n"
	 "date of OTHER moves to KEEP in one transaction; a journal of what moved makes it undoable\n"
	 "for merge.undo_days (default 30) with 'rapport merge undo ID'.  Prints the merge id.\n"
	 "Example:\n  rapport merge 17 42"},

	{"merge undo", "undo a merge: the duplicate comes back with its id and everything it had", ROLE_MANAGER, OP_WRITE,
	 "POST", "/api/v1/merges/{merge}/undo", op_merge_undo,
	 {{"merge", ARG_INT, ARG_POS | ARG_REQ, "ID", "the merge's id (rapport merge list)"}},
	 "Refused (409) once undone, after merge.undo_days, or when a row the merge moved or\n"
	 "changed has been edited or removed since (undoing would lose that change).\n"
	 "Example:\n  rapport merge undo 3"},

	{"merge list", "recent merges, with the ids that undo them", ROLE_VIEWER, OP_READ, "GET", "/api/v1/merges",
	 op_merge_list,
	 {{"limit", ARG_INT, 0, "N", "at most N (default 50)"}},
	 NULL},

	{"dupes", "likely duplicate contacts, with the evidence", ROLE_VIEWER, OP_READ, "GET", "/api/v1/dupes", op_dupes,
	 {{"limit", ARG_INT, 0, "N", "at most N pairs (default 100; 0: all)"}},
	 "Pairs with the same email or phone, or names that fold alike: word order, case, ё/е,\n"
	 "a patronymic on one side, a one-letter typo in a long word, Latin or Cyrillic letters.\n"
	 "Each pair has a score (up to 100) and its reasons; pairs dismissed are left out.\n"
	 "Example:\n  rapport dupes --json"},

	{"dupes dismiss", "say two contacts are not duplicates", ROLE_STAFF, OP_WRITE, "POST", "/api/v1/dupes/dismiss",
	 op_dupes_dismiss,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "A", "one contact"},
	  {"other", ARG_STR, ARG_POS | ARG_REQ, "B", "the other"}},
	 "Example:\n  rapport dupes dismiss 17 42"},

	{"date add", "remember a yearly date (anniversary, ...)", ROLE_STAFF, OP_WRITE, "POST", "/api/v1/contacts/{contact}/dates", op_date_add,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"date", ARG_STR, ARG_POS | ARG_REQ, "DATE", "YYYY-MM-DD, or --MM-DD when the year is unknown"},
	  {"kind", ARG_STR, 0, "KIND", "anniversary (default) or other"},
	  {"label", ARG_STR, 0, "TEXT", "what the date is, e.g. \"wedding\""}},
	 NULL},

	{"relate", "record a relationship between two contacts", ROLE_STAFF, OP_WRITE, "POST", "/api/v1/contacts/{contact}/relations", op_relate,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "the first contact"},
	  {"other", ARG_STR, ARG_POS | ARG_REQ, "OTHER", "the second contact"},
	  {"kind", ARG_STR, ARG_REQ, "KIND", "family, friend, colleague or referred_by (CONTACT was referred by OTHER)"},
	  {"note", ARG_STR, 0, "TEXT", "e.g. \"sister\""}},
	 NULL},

	{"fact add", "remember a fact, with an optional follow-up date", ROLE_STAFF, OP_WRITE, "POST", "/api/v1/contacts/{contact}/facts", op_fact_add,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"text", ARG_STR, ARG_POS | ARG_REQ | ARG_REST, "TEXT", "the fact, in the client's words"},
	  {"follow_up", ARG_STR, 0, "DATE", "when to ask about it (YYYY-MM-DD)"}},
	 "Example:\n  rapport fact add Иванова \"Операция на колене\" --follow-up 2026-12-01"},

	{"fact done", "mark a fact's follow-up as done", ROLE_STAFF, OP_WRITE, "POST", "/api/v1/facts/{fact}/done", op_fact_done,
	 {{"fact", ARG_INT, ARG_POS | ARG_REQ, "FACT", "the fact's id"}},
	 NULL},

	{"story add", "keep a story a client told, in their own words", ROLE_STAFF, OP_WRITE, "POST",
	 "/api/v1/contacts/{contact}/stories", op_story_add,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"text", ARG_STR, ARG_POS | ARG_REST, "TEXT", "the story, in the client's own words (up to 100 KB)"},
	  {"kind", ARG_STR, ARG_REQ, "KIND", "choice (how they chose us), interaction (how dealing with us went),"
	   " product (what they think of it), friends (what their friends choose) or life (what they live by)"},
	  {"tone", ARG_STR, 0, "TONE", "positive, neutral or negative, as a person judged it"},
	  {"tag", ARG_LIST, 0, "TAG", "a tag (repeatable)"},
	  {"on", ARG_STR, 0, "DATE", "the day it was told (YYYY-MM-DD, default today)"}},
	 "Prints the new story's id.  Example:\n"
	 "  rapport story add Иванова --kind interaction --tone negative --tag reception \\\n"
	 "      \"Сотрудники болтали по телефону и не обратили на меня внимания\""},

	{"story list", "stories clients told, newest first", ROLE_VIEWER, OP_READ | OP_CACHE, "GET", "/api/v1/stories",
	 op_story_list,
	 {{"contact", ARG_STR, ARG_POS, "CONTACT", "only this contact's (an id or any unique part of the name)"},
	  {"kind", ARG_STR, 0, "KIND", "only choice, interaction, product, friends or life"},
	  {"limit", ARG_INT, 0, "N", "at most N (default 50)"}},
	 NULL},

	{"story similar", "stories of other clients that tell the same thing", ROLE_VIEWER, OP_READ | OP_CACHE, "GET",
	 "/api/v1/stories/{story}/similar", op_story_similar,
	 {{"story", ARG_INT, ARG_POS | ARG_REQ, "STORY_ID", "the story"},
	  {"limit", ARG_INT, 0, "N", "at most N, 1 to 100 (default 10)"},
	  {"method", ARG_STR, 0, "METHOD", "lexicon (words and their concepts, default) or tfidf (words only)"}},
	 "Ranked by how much they share: words (any form: \"ждали\" meets \"ждать\") and concepts\n"
	 "(\"ignored\", \"nobody noticed\" and \"не обратили внимания\" are one), in Russian or English.\n"
	 "Example:\n  rapport story similar 12 --limit 5"},

	{"story themes", "what many clients tell us: recent stories grouped into themes", ROLE_VIEWER, OP_READ | OP_CACHE,
	 "GET", "/api/v1/stories/themes", op_story_themes,
	 {{"since", ARG_STR, 0, "DATE", "stories told on or after DATE (default 90 days ago)"},
	  {"kind", ARG_STR, 0, "KIND", "only choice, interaction, product, friends or life"},
	  {"method", ARG_STR, 0, "METHOD", "lexicon (default) or tfidf"}},
	 "Largest theme first, with how many stories and how many different clients told it, by\n"
	 "kind, and a few examples.  The newest 5,000 stories are grouped; the answer says when\n"
	 "there were more (\"capped\").  Example:\n  rapport story themes --kind interaction"},

	{"story report", "themes over time, stories without a lesson, lessons by status", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/stories/report", op_story_report,
	 {{"since", ARG_STR, 0, "DATE", "from DATE (default: the last 12 months or 4 quarters)"},
	  {"by", ARG_STR, 0, "month|quarter", "count by month (default) or quarter"}},
	 "Example:\n  rapport story report --by quarter"},

	{"lesson add", "turn a story into a lesson: a change for the whole business", ROLE_STAFF, OP_WRITE, "POST",
	 "/api/v1/lessons", op_lesson_add,
	 {{"story", ARG_INT, ARG_POS | ARG_REQ, "STORY_ID", "the story that taught it"},
	  {"title", ARG_STR, ARG_POS | ARG_REQ | ARG_REST, "TITLE", "what to change"},
	  {"owner", ARG_STR, ARG_REQ, "LOGIN", "the team member who sees it through"},
	  {"segment", ARG_STR, 0, "TEXT", "only for these clients: KEY:VALUE terms of name, tag, tier, owner, e.g. \"tier:close tag:vip\" (default: the whole process)"}},
	 "Prints the new lesson's id.  The lesson is on its owner's agenda until done or dropped.\n"
	 "Example:\n"
	 "  rapport lesson add 12 Greet every client at the front desk --owner anna"},

	{"lesson link", "link another story that supports a lesson", ROLE_STAFF, OP_WRITE, "POST",
	 "/api/v1/lessons/{lesson}/stories", op_lesson_link,
	 {{"lesson", ARG_INT, ARG_POS | ARG_REQ, "ID", "the lesson's id"},
	  {"story", ARG_INT, ARG_POS | ARG_REQ, "STORY_ID", "the supporting story's id"}},
	 NULL},

	{"lesson set", "start or drop a lesson", ROLE_STAFF, OP_WRITE, "PATCH", "/api/v1/lessons/{lesson}",
	 op_lesson_set,
	 {{"lesson", ARG_INT, ARG_POS | ARG_REQ, "ID", "the lesson's id"},
	  {"status", ARG_STR, ARG_REQ, "doing|dropped", "doing (under way) or dropped (not worth it)"},
	  {"note", ARG_STR, 0, "TEXT", "why, or how far it got"}},
	 NULL},

	{"lesson done", "mark a lesson done, saying what was done", ROLE_STAFF, OP_WRITE, "POST",
	 "/api/v1/lessons/{lesson}/done", op_lesson_done,
	 {{"lesson", ARG_INT, ARG_POS | ARG_REQ, "ID", "the lesson's id"},
	  {"note", ARG_STR, ARG_REQ, "TEXT", "what was done"}},
	 NULL},

	{"lesson list", "lessons drawn from stories, oldest first", ROLE_VIEWER, OP_READ | OP_CACHE, "GET",
	 "/api/v1/lessons", op_lesson_list,
	 {{"owner", ARG_STR, 0, "LOGIN", "only this team member's"},
	  {"status", ARG_STR, 0, "STATUS", "only open, doing, done or dropped"}},
	 NULL},

	{"lesson show", "a lesson with the stories that support it", ROLE_VIEWER, OP_READ | OP_CACHE, "GET",
	 "/api/v1/lessons/{lesson}", op_lesson_show,
	 {{"lesson", ARG_INT, ARG_POS | ARG_REQ, "ID", "the lesson's id"}},
	 NULL},

	{"trust record", "record an act of one side in the trust ledger: cooperate or defect", ROLE_STAFF, OP_WRITE,
	 "POST", "/api/v1/contacts/{contact}/trust", op_trust_record,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"by", ARG_STR, ARG_REQ, "company|client", "the side that acted"},
	  {"act", ARG_STR, ARG_REQ, "cooperate|defect", "what it did"},
	  {"on", ARG_STR, 0, "DATE", "the day it happened, YYYY-MM-DD (default today)"},
	  {"interaction", ARG_INT, 0, "ID", "the contact's interaction it came from"},
	  {"text", ARG_STR, ARG_POS | ARG_REQ | ARG_REST, "TEXT", "what happened"}},
	 "Prints the act's id.  \"delivered late and said nothing\" is a company defect, \"returned a\n"
	 "worn dress as new\" a client defect, \"paid early\" or \"apologised and sent a replacement\"\n"
	 "cooperation.  Complaints write their own acts: opening one is our defect, its make-good\n"
	 "our cooperation.  Example:\n"
	 "  rapport trust record Иванова --by company --act defect \"привезли на два дня позже\""},

	{"trust show", "where the relationship stands: state, score, recommended response, the ledger", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/contacts/{contact}/trust", op_trust_show,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 "An act's weight halves every trust.half_life_days (90); the score is the weighted mean of\n"
	 "+1 (cooperate) and -1 (defect).  The state reads the last four half-lives: we let them down\n"
	 "(a defection of ours not made good by a later cooperation), they let us down (their latest\n"
	 "act a defection), both (mutual defection), neither (mutual cooperation).  The response is\n"
	 "trust.policy's: gtft (default) makes good our own, and defects only after two defections\n"
	 "of theirs in a row; tft answers their latest act in kind; always-cooperate."},

	{"community add", "add a community: a named group of clients with its own rules", ROLE_STAFF, OP_WRITE, "POST",
	 "/api/v1/communities", op_community_add,
	 {{"name", ARG_STR, ARG_POS | ARG_REQ, "NAME", "its name, unique regardless of case"},
	  {"rules", ARG_STR, 0, "TEXT", "the rules its members keep"}},
	 "Prints the id.  Example:\n  rapport community add \"Книжный клуб\" --rules \"приходим вовремя\""},

	{"community join", "make a client a member of a community", ROLE_STAFF, OP_WRITE, "POST",
	 "/api/v1/communities/{community}/members", op_community_join,
	 {{"community", ARG_STR, ARG_POS | ARG_REQ, "COMMUNITY", "its id or name"},
	  {"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"role", ARG_STR, 0, "ROLE", "member (default), founder, organiser or guest"},
	  {"on", ARG_STR, 0, "DATE", "the day they joined, YYYY-MM-DD (default today)"}},
	 "A member already is refused (leave and join again to change the role)."},

	{"community leave", "take a client out of a community", ROLE_STAFF, OP_WRITE, "DELETE",
	 "/api/v1/communities/{community}/members/{contact}", op_community_leave,
	 {{"community", ARG_STR, ARG_POS | ARG_REQ, "COMMUNITY", "its id or name"},
	  {"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 NULL},

	{"community list", "the communities, with how many members each has", ROLE_VIEWER, OP_READ | OP_CACHE, "GET",
	 "/api/v1/communities", op_community_list, {{0}}, NULL},

	{"community show", "a community: rules, members with their trust state, ties between them", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/communities/{community}", op_community_show,
	 {{"community", ARG_STR, ARG_POS | ARG_REQ, "COMMUNITY", "its id or name"}},
	 "Ties are the relations (family, friend, colleague, referred by) between two members."},

	{"community health", "cooperation by month, members let down, contagion alerts", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/communities/{community}/health", op_community_health,
	 {{"community", ARG_STR, ARG_POS | ARG_REQ, "COMMUNITY", "its id or name"}},
	 "Cooperation share: of the members' acts (both sides) each month of the last twelve, the\n"
	 "share that cooperated.  Let down: members with a defection of ours in the last 90 days not\n"
	 "made good.  Alerts: such a member, or one whose own defection in the last 90 days stands,\n"
	 "who is tied to other members (they are at risk), most ties first."},

	{"panel add", "put a client on the panel, interviewed on a cadence (or change the cadence)", ROLE_STAFF, OP_WRITE,
	 "PUT", "/api/v1/panel/{contact}", op_panel_add,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"cadence", ARG_INT, 0, "DAYS", "days between interviews, 1 to 3650 (default: the setting panel.cadence,"
	   " 30; a member keeps its own)"}},
	 "The contact's tier becomes panel (weighed up on the agenda); the tier it had is kept and\n"
	 "given back by 'panel rm'.  An interview is due a cadence after the last conversation (the\n"
	 "latest story told or interaction), or at once when there was none; the agenda lists the\n"
	 "members due under \"panel\" with the kinds of story to ask about.  Adding a member again\n"
	 "changes its cadence.  Example:\n"
	 "  rapport panel add Иванова --cadence 21"},

	{"panel rm", "take a client off the panel, back to the tier it had", ROLE_STAFF, OP_WRITE, "DELETE",
	 "/api/v1/panel/{contact}", op_panel_rm,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 "The contact goes back to the tier it had before joining (regular if it was at panel\n"
	 "already), unless its tier was changed while it was a member.  Its stories stay."},

	{"panel list", "the panel: each member's cadence, last conversation and next interview", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/panel", op_panel_list, {{0}},
	 "Next interview due first, with the day each kind of story was last told."},

	{"panel coverage", "stories per kind per panel member per month or quarter", ROLE_VIEWER, OP_READ | OP_CACHE,
	 "GET", "/api/v1/panel/coverage", op_panel_coverage,
	 {{"from", ARG_STR, 0, "DATE", "the first day (YYYY-MM-DD; default: the first of the twelfth month or fourth"
	   " quarter back)"},
	  {"to", ARG_STR, 0, "DATE", "the last day (YYYY-MM-DD; default today)"},
	  {"by", ARG_STR, 0, "month|quarter", "the period (default month)"}},
	 "Every member is listed, those who told nothing with zeros: the gaps are the point.\n"
	 "At most 120 periods.  Example:\n"
	 "  rapport panel coverage --from 2026-01-01 --by quarter"},

	{"complaint open", "open a client's complaint: the clock to the first response starts", ROLE_STAFF, OP_WRITE,
	 "POST", "/api/v1/contacts/{contact}/complaints", op_complaint_open,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"text", ARG_STR, ARG_POS | ARG_REST | ARG_REQ, "TEXT", "what the client complains of, in their words"},
	  {"channel", ARG_STR, 0, "CHANNEL", "call, message, email, visit or ui (default: the kind of --from, else ui)"},
	  {"from", ARG_INT, 0, "INTERACTION_ID", "the contact's call or message it came by: the clock starts then"},
	  {"duty", ARG_STR, 0, "LOGIN", "who is on duty for it (default: everyone)"}},
	 "Prints the complaint.  Unanswered, it stands at the top of the agenda of whoever is on\n"
	 "duty: near at 60% of the target (complaint.target_minutes, default 5), then late.\n"
	 "Logging an interaction of kind complaint does not open one: open it from it with --from.\n"
	 "Example:\n  rapport log Иванова --kind call --direction in \"Курьер опоздал на два часа\"\n"
	 "  rapport complaint open Иванова --from 812 \"Курьер опоздал на два часа\""},

	{"complaint answer", "give a complaint its first response", ROLE_STAFF, OP_WRITE, "POST",
	 "/api/v1/complaints/{complaint}/answer", op_complaint_answer,
	 {{"complaint", ARG_INT, ARG_POS | ARG_REQ, "ID", "the complaint's id"},
	  {"text", ARG_STR, ARG_POS | ARG_REST | ARG_REQ, "TEXT", "what the client was told"},
	  {"apology", ARG_FLAG, 0, NULL, "the answer apologised"}},
	 "Once per complaint.  The answer also goes on the timeline as a message out.\n"
	 "Example:\n  rapport complaint answer 7 --apology \"Простите нас, везём сейчас же\""},

	{"complaint resolve", "resolve a complaint: how it was put right and what the make-good cost", ROLE_STAFF,
	 OP_WRITE, "POST", "/api/v1/complaints/{complaint}/resolve", op_complaint_resolve,
	 {{"complaint", ARG_INT, ARG_POS | ARG_REQ, "ID", "the complaint's id"},
	  {"make_good", ARG_STR, 0, "TEXT", "what the client was given to make good"},
	  {"cost", ARG_STR, 0, "AMOUNT", "what the make-good cost us, e.g. 500 or 12.50 (with --make-good)"},
	  {"currency", ARG_STR, 0, "CODE", "of the cost (default: the client's latest, else the store's)"},
	  {"resolution", ARG_STR, 0, "TEXT", "how it was put right"},
	  {"apology", ARG_FLAG, 0, NULL, "the client was given an apology"}},
	 "Needs --make-good with --cost, or --resolution, or both.  A complaint nobody answered\n"
	 "yet is answered by it at once.  Example:\n"
	 "  rapport complaint resolve 7 --make-good \"доставка бесплатно\" --cost 300 --apology"},

	{"complaint list", "complaints, newest first", ROLE_VIEWER, OP_READ, "GET", "/api/v1/complaints",
	 op_complaint_list,
	 {{"open", ARG_FLAG, 0, NULL, "only those not resolved yet"},
	  {"contact", ARG_STR, 0, "CONTACT", "only this contact's"},
	  {"limit", ARG_INT, 0, "N", "at most N (default 100)"}},
	 NULL},

	{"complaint report", "complaints answered in time, first response, make-goods, clients kept", ROLE_VIEWER,
	 OP_READ, "GET", "/api/v1/complaints/report", op_complaint_report,
	 {{"since", ARG_STR, 0, "DATE", "complaints opened on or after this day (default: 90 days ago)"}},
	 "In time: answered within complaint.target_minutes, out of those answered or already late.\n"
	 "Kept: complaining clients who bought again after the complaint, with what they bought since."},

	{"complaint show", "one complaint", ROLE_VIEWER, OP_READ, "GET", "/api/v1/complaints/{complaint}",
	 op_complaint_show, {{"complaint", ARG_INT, ARG_POS | ARG_REQ, "ID", "the complaint's id"}}, NULL},

	{"log", "record an interaction", ROLE_STAFF, OP_WRITE, "POST", "/api/v1/contacts/{contact}/interactions", op_log,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"summary", ARG_STR, ARG_POS | ARG_REST, "SUMMARY", "what happened, in a line or two"},
	  {"kind", ARG_STR, 0, "KIND", "call, meeting, message, email, visit, purchase, complaint or note (default)"},
	  {"direction", ARG_STR, 0, "in|out", "who reached whom"},
	  {"at", ARG_STR, 0, "TIME", "when (default now), e.g. 2026-11-23T10:05"},
	  {"minutes", ARG_INT, 0, "N", "time spent"},
	  {"amount", ARG_STR, 0, "SUM", "money, e.g. 4500 or 129.99"},
	  {"currency", ARG_STR, 0, "CODE", "with --amount, e.g. RUB"},
	  {"by", ARG_STR, 0, "LOGIN", "the team member (default: you)"}},
	 "Example:\n  rapport log Иванова --kind call --minutes 15 \"Рассказала, что дочь поступила в университет\""},

	{"timeline", "a contact's interactions, newest first", ROLE_VIEWER, OP_READ | OP_CACHE, "GET", "/api/v1/contacts/{contact}/interactions", op_timeline,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"limit", ARG_INT, 0, "N", "at most N (default 50)"}},
	 NULL},

	{"search", "find contacts, facts, interactions and stories by their words", ROLE_VIEWER, OP_READ | OP_CACHE, "GET", "/api/v1/search", op_search,
	 {{"query", ARG_STR, ARG_POS | ARG_REQ | ARG_REST, "WORDS", "words to find (any form: университете finds университет); end a word with * for a prefix"},
	  {"limit", ARG_INT, 0, "N", "at most N hits (default 20)"}},
	 NULL},

	{"agenda", "today's personal touches, ranked, with reasons", ROLE_VIEWER, OP_READ, "GET", "/api/v1/agenda", op_agenda,
	 {{"date", ARG_STR, 0, "DATE", "plan another day (YYYY-MM-DD)"},
	  {"owner", ARG_STR, 0, "LOGIN", "only this team member's contacts"},
	  {"limit", ARG_INT, 0, "N", "at most N people (default 30)"},
	  {"lookahead", ARG_INT, 0, "DAYS", "also yearly dates of panel and close contacts this many days ahead (default 3)"}},
	 "Reasons: birthdays and yearly dates (with the age), facts whose follow-up is due or\n"
	 "overdue, and contacts past their tier's keep-in-touch cadence (see 'rapport config get').\n"
	 "Unanswered complaints on duty for --owner (or everyone's) come first, apart, late ones first."},

	{"value fit", "fit the lifetime-value models: to the timeline's purchases, or to a summary file", ROLE_STAFF,
	 OP_WRITE | OP_JSON, "POST", "/api/v1/value/fit", op_value_fit,
	 {{"until", ARG_STR, 0, "DATE", "the end of the calibration period (YYYY-MM-DD, default today)"},
	  {"summary", ARG_STR, ARG_LOCAL | ARG_NOSTORE, "FILE", "fit a summary CSV instead (frequency,recency,T[,monetary] by"
	   " header, or ID,x,t_x,T,zbar); nothing is stored"},
	  {"model", ARG_STR, 0, "MODEL", "with --summary: bgnbd, pareto or gg"}},
	 "From the timeline: purchases are interactions of kind purchase with a positive amount, in\n"
	 "the currency most of them are in, up to the end of --until; time is in weeks.  BG/NBD\n"
	 "gives P(alive) and the purchases to expect, Gamma-Gamma (when at least 10 clients bought\n"
	 "again) the spend; every buyer is scored (CLV over value.horizon_months discounted 1% a\n"
	 "month, RFM and segment, cost to serve and margin over the last 12 months, expected\n"
	 "margin) and the scores replace the last fit's.  Examples:\n"
	 "  rapport value fit --until 2026-09-30\n"
	 "  rapport value fit --summary cdnow_customers_summary.csv --model bgnbd"},

	{"value show", "what a client is worth: CLV, P(alive), RFM, cost to serve, margin", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/contacts/{contact}/value", op_value_show,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 "As the last 'rapport value fit' scored the client; money in the fit's currency."},

	{"value report", "the value of the clientele: distribution, segments, top and negative clients", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/value/report", op_value_report,
	 {{"by", ARG_STR, 0, "PERIOD", "margin by quarter (default) or month, over the last year of the fit"}},
	 "Margin = revenue x value.margin_rate - cost to serve (minutes x value.hourly_cost / 60,\n"
	 "make-goods, refunds)."},

	{"value negative", "clients whose expected margin is below a threshold, with the reasons", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/value/negative", op_value_negative,
	 {{"threshold", ARG_STR, 0, "AMOUNT", "list expected margins below AMOUNT (default 0)"}},
	 "Expected margin = CLV x value.margin_rate - last 12 months' cost to serve x horizon in\n"
	 "years x P(alive).  Example:\n  rapport value negative --threshold 100"},

	{"value letgo", "let a client go gracefully: a note, a hand-over, no more cadence", ROLE_STAFF, OP_WRITE | OP_JSON,
	 "POST", "/api/v1/contacts/{contact}/letgo", op_value_letgo,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"note", ARG_STR, ARG_REQ, "TEXT", "why and how, kept as a note on the timeline"},
	  {"handover", ARG_STR, 0, "LOGIN", "the team member who looks after the client from now on"},
	  {"stop_cadence", ARG_FLAG, 0, NULL, "tier distant and no more keep-in-touch reminders on the agenda"}},
	 "Nothing is deleted.  Example:\n"
	 "  rapport value letgo 42 --note \"Agreed to part; referred to a partner\" --stop-cadence"},

	{"stage", "a client's stage on the permission ladder, or move them (--to)", ROLE_VIEWER, OP_READ | OP_LOCAL, NULL, NULL,
	 op_stage,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"to", ARG_STR, 0, "STAGE", "move to stranger, attention, yes, dialogue, trust, customer or advocate (or its name)"},
	  {"why", ARG_STR, 0, "TEXT", "why the client moves (needed with --to)"},
	  {"evidence", ARG_STR, 0, "TEXT", "what shows it, e.g. \"answered the autumn letter\""}},
	 "Without --to: the stage and every move, newest first (from, to, when, by whom, why,\n"
	 "cause, evidence).  With --to the client moves there, up or down, and the move is kept;\n"
	 "moving needs the role staff.  Events move clients too: a consent given lifts to at least\n"
	 "yes (its withdrawal takes a client at yes back to attention), a purchase to at least\n"
	 "customer, a purchase by a client someone referred lifts the referrer to advocate.\n"
	 "The stages' names are set with 'rapport config set stage.name.yes \"Said yes\"'.  Example:\n"
	 "  rapport stage Иванова --to dialogue --why \"Asked for the spring catalogue\""},

	{"stage show", "a client's stage and every move", ROLE_VIEWER, OP_READ | OP_CACHE | OP_SERVE, "GET",
	 "/api/v1/contacts/{contact}/stage", op_stage_show,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 "The stage (with its name), the stages in order, and every move, newest first."},

	{"stage move", "move a client on the permission ladder", ROLE_STAFF, OP_WRITE | OP_SERVE, "POST",
	 "/api/v1/contacts/{contact}/stage", op_stage_move,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"to", ARG_STR, ARG_REQ, "STAGE", "stranger, attention, yes, dialogue, trust, customer or advocate (or its name)"},
	  {"why", ARG_STR, ARG_REQ, "TEXT", "why the client moves"},
	  {"evidence", ARG_STR, 0, "TEXT", "what shows it"}},
	 "Up or down; the answer is the stage and its moves, with \"from\" and \"moved\"."},

	{"consent grant", "record a client's consent for a channel and purpose", ROLE_STAFF, OP_WRITE, "POST",
	 "/api/v1/contacts/{contact}/consent/grant", op_consent_grant,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"channel", ARG_STR, ARG_REQ, "CHANNEL", "email, phone, sms, messenger or post"},
	  {"purpose", ARG_STR, ARG_REQ, "PURPOSE", "service, news, offers or surveys"},
	  {"evidence", ARG_STR, 0, "TEXT", "what the client was shown or said (needed to grant)"},
	  {"how", ARG_STR, 0, "HOW", "form, call (default) or in_person"}},
	 "Kept with when, how and by whom; the history is never rewritten.  A consent lifts the\n"
	 "client to at least the stage yes.  Example:\n"
	 "  rapport consent grant Иванова --channel email --purpose news --how in_person \\\n"
	 "      --evidence \"Signed the paper form 'News by email, at most monthly'\""},

	{"consent revoke", "withdraw a client's consent for a channel and purpose", ROLE_STAFF, OP_WRITE, "POST",
	 "/api/v1/contacts/{contact}/consent/revoke", op_consent_revoke,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"channel", ARG_STR, ARG_REQ, "CHANNEL", "email, phone, sms, messenger or post"},
	  {"purpose", ARG_STR, ARG_REQ, "PURPOSE", "service, news, offers or surveys"},
	  {"evidence", ARG_STR, 0, "TEXT", "what the client said (optional)"},
	  {"how", ARG_STR, 0, "HOW", "form, call (default) or in_person"}},
	 "As easy as giving it: no evidence is needed.  When no consent is left, a client at the\n"
	 "stage yes goes back to attention; one at dialogue or above stays."},

	{"consent list", "a client's consents: the current answers and their history", ROLE_VIEWER, OP_READ | OP_CACHE, "GET",
	 "/api/v1/contacts/{contact}/consent", op_consent_list,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 NULL},

	{"funnel", "how clients moved up and down the ladder in a period", ROLE_VIEWER, OP_READ | OP_CACHE, "GET",
	 "/api/v1/funnel", op_funnel,
	 {{"from", ARG_STR, 0, "DATE", "the first day (default: 29 days before --to)"},
	  {"to", ARG_STR, 0, "DATE", "the last day (default: today)"}},
	 "Per stage: the clients who entered it in the period, how many of them went higher by\n"
	 "its end (conversion), the median days in the stage of the moves out of it, and the\n"
	 "clients who dropped down out of it.  Days are UTC; docs/API.md defines each number."},

	{"import", "import contacts, interactions or facts from CSV, or people from vCards and spreadsheets", ROLE_MANAGER, OP_WRITE | OP_JSON, "POST", "/api/v1/import/{what}", op_import,
	 {{"what", ARG_STR, ARG_POS | ARG_REQ, "contacts|interactions|facts|csv|vcard", "what the file holds"},
	  {"file", ARG_STR, ARG_POS | ARG_REQ | ARG_LOCAL, "FILE", "a UTF-8 CSV file with a header row, a vCard file, or - for standard input (over HTTP: the body)"},
	  {"skip_bad", ARG_FLAG, 0, NULL, "import the good rows and report the bad ones"},
	  {"dry_run", ARG_FLAG, 0, NULL, "check the file and report, changing nothing"},
	  {"layout", ARG_STR, 0, "LAYOUT", "csv: google, outlook or rapport (default: read from the header)"},
	  {"map", ARG_STR, 0, "SPEC", "csv: \"Column A=name,Column B=email\" for any other layout"}},
	 "Columns (any order, by header name):\n"
	 "  contacts:     id,name,address,tier,owner,email,phone,messenger,postal,birthday,tags,note,\n"
	 "                consent,consent_evidence (several emails, phones, tags or consents separated\n"
	 "                by ;; a consent is CHANNEL:PURPOSE, e.g. email:news;sms:offers, and needs\n"
	 "                consent_evidence: what the clients were shown)\n"
	 "  interactions: id,contact_id|contact_email,at,kind,direction,minutes,amount,currency,by,summary\n"
	 "  facts:        contact_id|contact_email,body,follow_up,done\n"
	 "The import is one transaction: unless --skip-bad, one bad row imports nothing.\n"
	 "csv and vcard match the contacts we have (external id, email, phone in E.164 with the\n"
	 "setting import.region) and only add to them; a new person is created.  Importing the\n"
	 "same file again changes nothing.  The whole file or nothing; --dry-run lists what would\n"
	 "be created, changed or left.  --map fields: name, given, family, email, phone, mobile,\n"
	 "work_phone, home_phone, address, birthday, anniversary, note, tags, org, url, external_id.\n"
	 "Examples:\n"
	 "  rapport import csv google.csv --dry-run\n"
	 "  rapport import csv list.csv --map \"ФИО=name,Почта=email,Телефон=phone\"\n"
	 "  rapport import vcard phone.vcf"},

	{"export", "export contacts, interactions or facts as CSV, or contacts as vCards", ROLE_MANAGER, OP_READ | OP_STREAM, "GET", "/api/v1/export/{what}", op_export,
	 {{"what", ARG_STR, ARG_POS | ARG_REQ, "contacts|interactions|facts|vcard", "what to export"},
	  {"contact", ARG_STR, ARG_POS, "CONTACT", "vcard: only this contact (an id or any unique part of the name)"},
	  {"out", ARG_STR, ARG_LOCAL, "FILE", "write to FILE instead of standard output"},
	  {"version", ARG_STR, 0, "3.0|4.0", "vcard: the vCard version (default 3.0)"}},
	 "Examples:\n"
	 "  rapport export vcard --version 4.0 >all.vcf\n"
	 "  rapport export vcard Иванова"},

	{"send", "send a message to a client, if the client's consent allows it", ROLE_STAFF, OP_WRITE, "POST", "/api/v1/outbox", op_send,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"channel", ARG_STR, ARG_REQ, "CHANNEL", "email, phone, sms, messenger or post"},
	  {"purpose", ARG_STR, ARG_REQ, "PURPOSE", "service, news, offers or surveys"},
	  {"subject", ARG_STR, 0, "TEXT", "the subject (an email needs one)"},
	  {"body", ARG_STR, ARG_REQ, "TEXT", "the message"}},
	 "The message goes only when the client's current consent to that purpose on that channel is\n"
	 "granted.  Otherwise it is refused: kept in the outbox with the reason, and the command\n"
	 "fails saying why (exit 1; over HTTP 409 conflict).  Email goes at once through smtp.url;\n"
	 "the other channels wait in the outbox for 'rapport outbox export'.  Every message ends\n"
	 "with its own link that withdraws that consent (public.url).  Example:\n"
	 "  rapport send Иванова --channel email --purpose news --subject \"Новая коллекция\" --body \"...\""},

	{"outbox", "messages to clients, newest first: sent, queued, refused, failed", ROLE_VIEWER, OP_READ, "GET", "/api/v1/outbox", op_outbox,
	 {{"state", ARG_STR, 0, "STATE", "only queued, sent, refused or failed"},
	  {"channel", ARG_STR, 0, "CHANNEL", "only this channel"},
	  {"contact", ARG_STR, 0, "CONTACT", "only this contact's (an id or any unique part of the name)"},
	  {"limit", ARG_INT, 0, "N", "at most N (default 50)"}},
	 NULL},

	{"outbox export", "hand queued phone, SMS, messenger or post messages over as CSV", ROLE_MANAGER, OP_WRITE | OP_STREAM, "POST",
	 "/api/v1/outbox/export", op_outbox_export,
	 {{"channel", ARG_STR, ARG_REQ, "CHANNEL", "phone, sms, messenger or post"},
	  {"file", ARG_STR, ARG_POS | ARG_LOCAL, "FILE", "write to FILE instead of standard output (over HTTP: the answer)"}},
	 "Each queued message of the channel is checked against the client's consent again (one\n"
	 "withdrawn since the message was queued refuses it), gets its own withdrawal link, and is\n"
	 "written as a row of id,contact_id,name,address,purpose,subject,text,withdraw_url, its text\n"
	 "ending with the link.  The rows written are marked sent: send them from the file.  Example:\n"
	 "  rapport outbox export --channel sms sms.csv"},

	{"signup", "sign up for news, offers or surveys by email (double opt-in)", ROLE_ANYONE, OP_WRITE | OP_SERVE, "POST",
	 "/api/v1/public/signup", op_signup,
	 {{"email", ARG_STR, ARG_REQ, "EMAIL", "the address, to be confirmed by its owner"},
	  {"purpose", ARG_STR, ARG_REQ, "PURPOSE", "news, offers or surveys"},
	  {"shown", ARG_STR, ARG_REQ, "TEXT", "the text the person saw when signing up, kept as the evidence"},
	  {"name", ARG_STR, 0, "NAME", "the person's name"}},
	 "Records a pending consent and emails a link that confirms it (once, within optin.hours,\n"
	 "default 48).  The answer is the same for a new, a known and an already subscribed address.\n"
	 "Throttled per network address (429)."},

	{"confirm page", "the page a confirmation link opens", ROLE_ANYONE, OP_READ | OP_SERVE | OP_PAGE, "GET",
	 "/api/v1/public/confirm/{token}", op_confirm_page,
	 {{"token", ARG_STR, ARG_POS | ARG_REQ | ARG_SECRET, "TOKEN", "the link's secret"}},
	 "Shows what the link confirms and a button that confirms it (POST to the same address): a\n"
	 "program that opens links in mail must not give consent for anyone.  404 for an unknown\n"
	 "link, 409 for a used or expired one."},

	{"confirm", "confirm a signup: the consent is granted at once", ROLE_ANYONE, OP_WRITE | OP_SERVE | OP_PAGE, "POST",
	 "/api/v1/public/confirm/{token}", op_confirm,
	 {{"token", ARG_STR, ARG_POS | ARG_REQ | ARG_SECRET, "TOKEN", "the link's secret"}},
	 "Works once, before the link expires; after that 409 and nothing changes."},

	{"withdraw", "withdraw a consent with the link in a message (one click)", ROLE_ANYONE, OP_WRITE | OP_SERVE | OP_PAGE, "GET",
	 "/api/v1/public/withdraw/{token}", op_withdraw,
	 {{"token", ARG_STR, ARG_POS | ARG_REQ | ARG_SECRET, "TOKEN", "the link's secret"}},
	 "Following the link revokes the consent the message was sent under, at once; again is\n"
	 "harmless.  A program that opens links in mail may withdraw too: that only ever means\n"
	 "fewer messages."},

	{"withdraw one-click", "withdraw a consent from a mail program (RFC 8058 List-Unsubscribe-Post)", ROLE_ANYONE,
	 OP_WRITE | OP_SERVE | OP_PAGE, "POST", "/api/v1/public/withdraw/{token}", op_withdraw,
	 {{"token", ARG_STR, ARG_POS | ARG_REQ | ARG_SECRET, "TOKEN", "the link's secret"}},
	 "The same as following the link; the form body List-Unsubscribe=One-Click is taken and ignored."},

	{"serve", "serve the web UI and the JSON API", ROLE_OWNER, OP_NODB | OP_LOCAL, NULL, NULL, op_serve,
	 {{"listen", ARG_STR, 0, "HOST:PORT", "where to listen (default 127.0.0.1:8080)"},
	  {"threads", ARG_INT, 0, "N", "worker threads (default: one per processor)"},
	  {"tls", ARG_FLAG, 0, NULL, "clients reach the server over TLS (a TLS front end): session cookies get Secure"}},
	 "Prints the address when ready; stops on SIGINT or SIGTERM.  Log in with a user made by\n"
	 "'rapport user add'.  See docs/API.md for the routes."},

	{"session create", "log in", ROLE_ANYONE, OP_WRITE | OP_SERVE, "POST", "/api/v1/session", op_session_create,
	 {{"login", ARG_STR, ARG_REQ, "LOGIN", "the user"},
	  {"password", ARG_STR, ARG_REQ | ARG_SECRET, "PASSWORD", "the password"}},
	 NULL},

	{"session show", "who is logged in", ROLE_VIEWER, OP_READ | OP_SERVE, "GET", "/api/v1/session", op_session_show,
	 {{0}}, NULL},

	{"session end", "log out", ROLE_VIEWER, OP_WRITE | OP_SERVE, "DELETE", "/api/v1/session", op_session_end,
	 {{0}}, NULL},

	{"password change", "change your own password", ROLE_VIEWER, OP_WRITE | OP_SERVE, "POST",
	 "/api/v1/session/password", op_password_change,
	 {{"current", ARG_STR, ARG_REQ | ARG_SECRET, "PASSWORD", "your current password"},
	  {"password", ARG_STR, ARG_REQ | ARG_SECRET, "PASSWORD", "the new one: 10 to 1024 characters, any"}},
	 "A wrong current password counts as a failed login.  Every other session of yours ends;\n"
	 "API tokens stay (an owner revokes them)."},

	{"user add", "add a team member", ROLE_OWNER, OP_WRITE, "POST", "/api/v1/users", op_user_add,
	 {{"login", ARG_STR, ARG_POS | ARG_REQ, "LOGIN", "lower-case letters, digits, . _ -"},
	  {"role", ARG_STR, ARG_REQ, "ROLE", "viewer, staff, manager or owner"},
	  {"password", ARG_STR, ARG_REQ | ARG_SECRET, "PASSWORD", "read from the terminal, or from standard input"}},
	 "The password is never taken from the command line: it is asked for on a terminal, or\n"
	 "read as the first line of standard input (printf '%s\\n' \"$PW\" | rapport user add ...)."},

	{"user list", "list the team members", ROLE_OWNER, OP_READ, "GET", "/api/v1/users", op_user_list, {{0}}, NULL},

	{"user set", "change a team member's role, password or access", ROLE_OWNER, OP_WRITE, "PATCH",
	 "/api/v1/users/{login}", op_user_set,
	 {{"login", ARG_STR, ARG_POS | ARG_REQ, "LOGIN", "the user"},
	  {"role", ARG_STR, 0, "ROLE", "a new role"},
	  {"disabled", ARG_FLAG, 0, NULL, "disable the account (ends its sessions)"},
	  {"enabled", ARG_FLAG, 0, NULL, "enable it again"},
	  {"password", ARG_STR, ARG_SECRET, "PASSWORD", "set a new password (asked for)"}},
	 NULL},

	{"token create", "make an API token for a user's scripts", ROLE_OWNER, OP_WRITE, "POST", "/api/v1/tokens",
	 op_token_create,
	 {{"login", ARG_STR, ARG_POS | ARG_REQ, "LOGIN", "whose rights the token carries"},
	  {"label", ARG_STR, 0, "TEXT", "what it is for"}},
	 "Prints the token once; rapport keeps only its hash.  Use it as 'Authorization: Bearer TOKEN'."},

	{"token list", "list API tokens", ROLE_OWNER, OP_READ, "GET", "/api/v1/tokens", op_token_list, {{0}}, NULL},

	{"token revoke", "revoke an API token", ROLE_OWNER, OP_WRITE, "DELETE", "/api/v1/tokens/{id}", op_token_revoke,
	 {{"id", ARG_INT, ARG_POS | ARG_REQ, "ID", "the token's id (see 'rapport token list')"}}, NULL},

	{"audit", "the audit log: every write and login, newest first", ROLE_OWNER, OP_READ, "GET", "/api/v1/audit",
	 op_audit,
	 {{"limit", ARG_INT, 0, "N", "at most N entries (default 100)"},
	  {"before", ARG_INT, 0, "ID", "only entries older than this id (paging)"}},
	 NULL},

	{"feed url", "your calendar's secret address (birthdays, follow-ups, panel interviews)", ROLE_VIEWER,
	 OP_WRITE | OP_JSON, "POST", "/api/v1/feed", op_feed_url, {{0}},
	 "Makes the address and prints it once: rapport keeps only the hash of its token.  Subscribe to it in a\n"
	 "calendar application.  It holds the yearly dates, open follow-ups and panel interviews of your\n"
	 "contacts (a manager's or owner's: every contact), titled in your language.  The user is RAPPORT_USER\n"
	 "on the command line.  The address begins with public.url.  Example:\n"
	 "  RAPPORT_USER=anna rapport feed url"},

	{"feed revoke", "end your calendar's address (the next 'feed url' makes a new one)", ROLE_VIEWER, OP_WRITE,
	 "DELETE", "/api/v1/feed", op_feed_revoke, {{0}}, NULL},

	{"feed", "a calendar feed (iCalendar), read at its secret address", ROLE_ANYONE,
	 OP_READ | OP_SERVE | OP_STREAM | OP_CALENDAR, "GET", "/feed/{token}", op_feed,
	 {{"token", ARG_STR, ARG_POS | ARG_REQ | ARG_SECRET, "TOKEN.ics", "the address's secret"}}, NULL},

	{"webhook add", "send events to a URL, signed", ROLE_OWNER, OP_WRITE | OP_JSON, "POST", "/api/v1/webhooks",
	 op_webhook_add,
	 {{"url", ARG_STR, ARG_POS | ARG_REQ, "URL", "an http:// or https:// address"},
	  {"events", ARG_STR, ARG_REQ, "LIST", "events, apart by commas, or all"},
	  {"secret", ARG_STR, ARG_SECRET, "SECRET", "the signing secret (asked for; left out: a random one, shown once)"}},
	 "Events: contact.created, contact.updated, contact.erased, stage.moved, consent.changed,\n"
	 "complaint.opened, complaint.answered, story.recorded, lesson.done.  Each is POSTed as JSON\n"
	 "{\"id\", \"event\", \"at\", \"data\"} with X-Rapport-Timestamp and X-Rapport-Signature:\n"
	 "sha256=HEX(HMAC-SHA256(secret, timestamp + \".\" + body)); failures are retried with backoff\n"
	 "(webhook.backoff_seconds) for a day.  Loopback and private addresses need webhook.private 1.  Example:\n"
	 "  rapport webhook add https://hooks.example.org/rapport --events contact.created,story.recorded"},

	{"webhook list", "the webhooks, with their deliveries counted", ROLE_OWNER, OP_READ, "GET", "/api/v1/webhooks",
	 op_webhook_list, {{0}}, NULL},

	{"webhook rm", "stop sending to a webhook (its queue goes too)", ROLE_OWNER, OP_WRITE, "DELETE",
	 "/api/v1/webhooks/{id}", op_webhook_rm, {{"id", ARG_INT, ARG_POS | ARG_REQ, "ID", "the webhook's id"}}, NULL},

	{"webhook log", "deliveries, newest first: attempts, status code, error, next try", ROLE_OWNER, OP_READ, "GET",
	 "/api/v1/webhooks/log", op_webhook_log,
	 {{"webhook", ARG_INT, 0, "ID", "only this webhook's"}, {"limit", ARG_INT, 0, "N", "at most N (default 100)"}},
	 NULL},

	{"webhook deliver", "send the deliveries that are due now (the server does it every second)", ROLE_OWNER,
	 OP_WRITE | OP_JSON, "POST", "/api/v1/webhooks/deliver", op_webhook_deliver, {{0}}, NULL},

	{"openapi", "the OpenAPI 3.1 document of the API", ROLE_ANYONE, OP_READ | OP_NODB, "GET", "/api/v1/openapi.json", op_openapi,
	 {{0}}, NULL},

	{"privacy export", "everything stored about a person, as one JSON document", ROLE_OWNER, OP_READ | OP_WRITE, "GET",
	 "/api/v1/contacts/{contact}/privacy", op_privacy_export,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 "For a person who asks what is kept about them: the card, channels, tags, dates,\n"
	 "relations (the other contact's id and name only), facts, every interaction, stories, their\n"
	 "place on the panel, consent history, stage moves, consent links, messages to them and the\n"
	 "audit entries that name them.  Written to the audit log (with the contact's id only).  Example:\n"
	 "  rapport privacy export 42 >anna.json"},

	{"privacy erase", "erase a person and every trace of them, at their request", ROLE_OWNER, OP_WRITE, "DELETE",
	 "/api/v1/contacts/{contact}/privacy", op_privacy_erase,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"yes", ARG_FLAG, 0, NULL, "confirm: the erasure cannot be undone"},
	  {"rewrite", ARG_FLAG, 0, NULL, "PostgreSQL: rewrite the tables that held them, so that no file keeps"
	   " their bytes (VACUUM FULL: locks each table while it runs)"}},
	 "Removes the contact and everything about them (channels, dates, tags, relations, facts,\n"
	 "interactions, stories, panel membership, consent, consent links), redacts the audit entries that name them, keeps\n"
	 "their outbox messages and stage moves only as anonymous counts, and then removes what\n"
	 "the store keeps of deleted rows (SQLite: search indexes optimized, file vacuumed, WAL\n"
	 "truncated; PostgreSQL: the tables vacuumed, or with --rewrite written anew; see\n"
	 "docs/POSTGRES.md for its WAL and backups).  Their emails and phones are kept only as\n"
	 "keyed hashes, so that 'contact add' and imports refuse them unless --unsuppress is given.\n"
	 "Other contacts' notes that mention the person are not changed.  Example:\n"
	 "  rapport privacy erase 42 --yes"},

	{"simulate tournament", "a round robin of the cooperation game's strategies, scores ranked", ROLE_VIEWER,
	 OP_READ | OP_NODB | OP_CACHE, "GET", "/api/v1/simulate/tournament", op_simulate_tournament,
	 {{"rounds", ARG_INT, 0, "N", "rounds per match (default 200; with --w the longest match), at most 10000"},
	  {"w", ARG_STR, 0, "W", "instead of fixed rounds: the chance of another round after each, above 0 and below 1"},
	  {"noise", ARG_STR, 0, "E", "the chance each move is flipped by mistake, 0 (default) to below 0.5"},
	  {"payoffs", ARG_STR, 0, "T,R,P,S", "temptation, reward, punishment, sucker (default 5,3,1,0;"
	   " T > R > P > S and 2R > T + S)"},
	  {"repetitions", ARG_INT, 0, "K", "times the round robin is played (default 10), at most 1000"},
	  {"seed", ARG_INT, 0, "S", "the random seed (default 1): the same seed plays the same tournament"}},
	 "Every strategy meets every other once per repetition, and a copy of itself (its payoff\n"
	 "there is the mean of both sides): always cooperate (allc), always defect (alld),\n"
	 "tit-for-tat (tft), generous tit-for-tat (gtft, forgiving a defection with probability\n"
	 "min(1 - (T-R)/(R-S), (R-P)/(T-P)), 1/3 for 5,3,1,0), grim trigger (grim), win-stay\n"
	 "lose-shift (wsls) and random (random, cooperating half the time).  score is a strategy's\n"
	 "total payoff per repetition; mean_per_round its payoff per round played, which ranks them\n"
	 "(with fixed rounds the same order as the score).  --rounds x\n"
	 "--repetitions is at most 2,000,000.  Example:\n"
	 "  rapport simulate tournament --noise 0.05 --w 0.99 --rounds 2000"},

	{"simulate lattice", "Nowak & May's spatial game: the share of cooperators per generation", ROLE_VIEWER,
	 OP_READ | OP_NODB | OP_CACHE, "GET", "/api/v1/simulate/lattice", op_simulate_lattice,
	 {{"size", ARG_INT, ARG_REQ, "L", "the lattice's side, 3 to 1000 (L x L players)"},
	  {"b", ARG_STR, ARG_REQ, "B", "what a defector earns from a cooperator (above 1); cooperators earn 1 from each other"},
	  {"generations", ARG_INT, ARG_REQ, "G", "generations to run, 1 to 1000"},
	  {"defectors", ARG_STR, 0, "SHARE", "the share of defectors at the start, placed at random (default 0.1)"},
	  {"seed", ARG_INT, 0, "S", "the random seed of their places (default 1)"}},
	 "Each player plays the one-shot game with its 8 neighbours and itself (the lattice wraps\n"
	 "round), then all at once take the strategy of the best paid among themselves and their\n"
	 "neighbours.  Nowak & May (1992): below b = 1.8 cooperators hold most of the lattice,\n"
	 "above 2 defectors win, and in between the share of cooperators swings about 0.32.\n"
	 "L x L x G is at most 100,000,000.  share has G + 1 numbers: the start, then each\n"
	 "generation.  Example:\n"
	 "  rapport simulate lattice --size 200 --b 1.9 --generations 100"},

	{"simulate community", "if one member starts to cheat and we answer with a policy: cooperation per generation",
	 ROLE_VIEWER, OP_READ | OP_CACHE, "GET", "/api/v1/simulate/community", op_simulate_community,
	 {{"name", ARG_STR, ARG_POS | ARG_REQ, "COMMUNITY", "the community, by name or id"},
	  {"policy", ARG_STR, 0, "P", "how we answer: allc, alld, tft, gtft, grim, wsls or random (default gtft)"},
	  {"cheater", ARG_STR, 0, "CONTACT", "the member who starts to cheat (default: the one tied to the most others)"},
	  {"generations", ARG_INT, 0, "G", "generations to run, 1 to 1000 (default 30)"},
	  {"b", ARG_STR, 0, "B", "what a cheater earns from an honest member, above 1 (default 1.6)"},
	  {"rounds", ARG_INT, 0, "N", "rounds of each member's dealings with us per generation, 1 to 1000 (default 10)"},
	  {"weight", ARG_STR, 0, "W", "how many ties those dealings weigh, 0 to 100 (default 1)"},
	  {"seed", ARG_INT, 0, "S", "the random seed of our random moves (default 1)"}},
	 "The members' ties (any relation between them) are the graph of Nowak & May's game: each\n"
	 "generation everyone plays each tie and themselves (cooperators earn 1 from each other, a\n"
	 "cheater b from a cooperator), and deals with us: we play the policy in a match of --rounds\n"
	 "rounds, a member as they are (honest or cheating); then all at once each member copies\n"
	 "the best paid among themselves and their ties.  Everyone starts honest but the cheater.\n"
	 "share has G + 1 numbers: the start, then each generation.  Example:\n"
	 "  rapport simulate community \"Book club\" --policy tft --generations 50"},

	{"profile show", "the company's value profile: its dimensions, positions and weights", ROLE_VIEWER, OP_READ | OP_CACHE,
	 "GET", "/api/v1/profile", op_profile_show, {{0}},
	 "Each dimension has two poles (left at -1, right at 1), the company's position between\n"
	 "them and a weight from 0 to 1; the presets listed are starting points ('profile preset')."},

	{"profile set", "add or change a dimension of the value profile", ROLE_MANAGER, OP_WRITE | OP_JSON, "PUT",
	 "/api/v1/profile/{dimension}", op_profile_set,
	 {{"dimension", ARG_STR, ARG_POS | ARG_REQ, "DIMENSION", "its key: lower-case letters, digits, - or _ (e.g. price)"},
	  {"position", ARG_NUM, 0, "X", "where the company stands, -1 (the left pole) to 1 (the right)"},
	  {"weight", ARG_NUM, 0, "W", "how much it matters, 0 to 1"},
	  {"left", ARG_STR, 0, "TEXT", "what the left pole means, e.g. \"lowest price\""},
	  {"right", ARG_STR, 0, "TEXT", "what the right pole means, e.g. \"quality first\""},
	  {"question", ARG_STR, 0, "TEXT", "the intake form's question for it"}},
	 "A new dimension needs all but --question; an empty text goes back to the preset's.  Example:\n"
	 "  rapport profile set price --position 0.8 --weight 0.9 --left \"lowest price\" --right \"quality first\""},

	{"profile rm", "remove a dimension from the value profile", ROLE_MANAGER, OP_WRITE, "DELETE",
	 "/api/v1/profile/{dimension}", op_profile_rm,
	 {{"dimension", ARG_STR, ARG_POS | ARG_REQ, "DIMENSION", "its key"}},
	 "Traits on it are kept: they count again if the dimension comes back."},

	{"profile preset", "replace the value profile with a preset: atelier, clinic or camp", ROLE_MANAGER,
	 OP_WRITE | OP_JSON, "POST", "/api/v1/profile/preset", op_profile_preset,
	 {{"preset", ARG_STR, ARG_POS | ARG_REQ, "NAME", "atelier (craft), clinic (care) or camp (community)"}},
	 "The preset's dimensions are shown in the reader's language (English or Russian)."},

	{"profile suggest", "suggest the profile from the best clients, and how it sorts past clients", ROLE_VIEWER,
	 OP_READ, "GET", "/api/v1/profile/suggest", op_profile_suggest, {{0}},
	 "The best clients are the top fifth by lifetime value whose trust score is not negative\n"
	 "('value fit', 'trust record'); with no values fitted, the clients marked with 'align mark'.\n"
	 "Each dimension's suggested position is the mean of their traits, its weight 1 minus their\n"
	 "spread (standard deviation): high where they agree.  sorted groups the clients with traits\n"
	 "or values by the current profile's verdict, with their mean lifetime value, complaints per\n"
	 "client and mean trust score."},

	{"trait set", "set a contact's trait on a value dimension", ROLE_STAFF, OP_WRITE | OP_JSON, "PUT",
	 "/api/v1/contacts/{contact}/traits/{dimension}", op_trait_set,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"dimension", ARG_STR, ARG_POS | ARG_REQ, "DIMENSION", "the dimension's key"},
	  {"value", ARG_NUM, ARG_POS | ARG_REQ, "VALUE", "-1 (the left pole) to 1 (the right)"},
	  {"source", ARG_STR, 0, "SOURCE", "person (default), questionnaire or tag"}},
	 "Tags give traits too, without a row here: config set trait.tags \"bargain:price=-0.8\".\n"
	 "Example:\n  rapport trait set Иванова price 0.9"},

	{"trait list", "a contact's traits, each with its source", ROLE_VIEWER, OP_READ | OP_CACHE, "GET",
	 "/api/v1/contacts/{contact}/traits", op_trait_list,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}}, NULL},

	{"trait rm", "remove a contact's trait", ROLE_STAFF, OP_WRITE, "DELETE",
	 "/api/v1/contacts/{contact}/traits/{dimension}", op_trait_rm,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"},
	  {"dimension", ARG_STR, ARG_POS | ARG_REQ, "DIMENSION", "the dimension's key"}}, NULL},

	{"align", "how well a contact shares the company's values: the score and the reasons", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/contacts/{contact}/alignment", op_align,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}},
	 "Per dimension known, agreement = 1 - |company - client| (-1..1); the score is their mean\n"
	 "weighted by the profile's weights, coverage the share of the weight known.  ours: score\n"
	 "0.5 or more, not ours: 0 or less (both with coverage 0.5 or more), unknown: coverage\n"
	 "below 0.25, maybe otherwise.  The reasons are the dimensions that weigh most."},

	{"align mark", "mark a contact as one of the best clients (for 'profile suggest')", ROLE_MANAGER, OP_WRITE, "PUT",
	 "/api/v1/contacts/{contact}/best", op_align_mark,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}}, NULL},

	{"align unmark", "no longer count a contact among the best clients", ROLE_MANAGER, OP_WRITE, "DELETE",
	 "/api/v1/contacts/{contact}/best", op_align_unmark,
	 {{"contact", ARG_STR, ARG_POS | ARG_REQ, "CONTACT", "an id or any unique part of the name"}}, NULL},

	{"align report", "the client base's alignment, and how aligned clients fare against the rest", ROLE_VIEWER,
	 OP_READ | OP_CACHE, "GET", "/api/v1/alignment/report", op_align_report, {{0}},
	 "distribution counts the clients' scores in [-1,-0.5) [-0.5,0) [0,0.5) [0.5,1]; groups give\n"
	 "per verdict the clients, mean lifetime value, complaints per client and mean trust score."},

	{"intake form", "the public request form (HTML for a browser)", ROLE_ANYONE, OP_READ | OP_SERVE | OP_PAGE, "GET",
	 "/intake", op_intake_form, {{0}},
	 "The profile's questions, each on a scale between its poles, in the browser's language."},

	{"intake form send", "a request sent from the public form", ROLE_ANYONE, OP_WRITE | OP_SERVE | OP_PAGE, "POST",
	 "/intake", op_intake_form_send,
	 {{"form", ARG_STR, 0, "BODY", "the form's fields, urlencoded (the browser sends them)"}},
	 "The same checks as POST /api/v1/intake."},

	{"intake questions", "the intake form's questions", ROLE_ANYONE, OP_READ | OP_SERVE | OP_CACHE, "GET",
	 "/api/v1/intake/questions", op_intake_questions, {{0}}, NULL},

	{"intake send", "send a request to the company (the public form's endpoint)", ROLE_ANYONE, OP_WRITE | OP_SERVE,
	 "POST", "/api/v1/intake", op_intake_send,
	 {{"name", ARG_STR, ARG_REQ, "NAME", "the person's name"},
	  {"email", ARG_STR, 0, "EMAIL", "an email address (this or a phone is needed)"},
	  {"phone", ARG_STR, 0, "PHONE", "a phone number"},
	  {"message", ARG_STR, ARG_REQ, "TEXT", "what they ask for (no links)"},
	  {"answers", ARG_OBJ, 0, "JSON", "{dimension: -1..1}: the answers to the questions"},
	  {"consent", ARG_OBJ, 0, "JSON", "{\"email\": bool, \"phone\": bool}: may we write or call about it"},
	  {"website", ARG_STR, 0, "TEXT", "leave empty (a field people do not see)"}},
	 "Scored against the profile and queued for triage.  Refused, writing nothing: too many from one\n"
	 "address (429 with Retry-After), malformed (400), spam (400: the hidden field filled, links)."},

	{"intake list", "the intake requests, newest first, with verdicts and reasons", ROLE_VIEWER, OP_READ, "GET",
	 "/api/v1/intake", op_intake_list,
	 {{"status", ARG_STR, 0, "STATUS", "only pending, accepted or declined"}}, NULL},

	{"intake accept", "accept a request: the person becomes a contact", ROLE_STAFF, OP_WRITE | OP_JSON, "POST",
	 "/api/v1/intake/{request}/accept", op_intake_accept,
	 {{"request", ARG_INT, ARG_POS | ARG_REQ, "ID", "the request's id (see 'rapport intake list')"},
	  {"stage", ARG_STR, 0, "STAGE", "attention (default) or yes (needs the consent the form recorded)"}},
	 "The contact gets the name, email and phone, the answers as traits (source questionnaire) and\n"
	 "the consent the form recorded (service, how form), which lifts them to yes."},

	{"intake decline", "decline a request politely", ROLE_STAFF, OP_WRITE | OP_JSON, "POST",
	 "/api/v1/intake/{request}/decline", op_intake_decline,
	 {{"request", ARG_INT, ARG_POS | ARG_REQ, "ID", "the request's id"},
	  {"template", ARG_STR, 0, "TEXT", "the reply instead of the standard one"}},
	 "The reply (in the request's language) is kept with it and shown for the team to send:\n"
	 "rapport does not send it.  A declined request is purged intake.keep_days (default 90) later."},

	{"config get", "show the settings", ROLE_VIEWER, OP_READ | OP_CACHE, "GET", "/api/v1/config", op_config_get, {{0}}, NULL},

	{"config set", "change a setting", ROLE_OWNER, OP_WRITE, "PUT", "/api/v1/config/{key}", op_config_set,
	 {{"key", ARG_STR, ARG_POS | ARG_REQ, "KEY", "e.g. cadence.close"},
	  {"value", ARG_STR, ARG_POS | ARG_REQ, "VALUE", "the new value"}},
	 NULL},
};

const size_t ops_count = sizeof ops_table / sizeof ops_table[0];
