/*
 * gen.c - deterministic generator of a synthetic client population for
 * rapport benchmarks and import tests.
 *
 *   gen --contacts N [--interactions M] [--facts K] [--seed S]
 *       [--today YYYY-MM-DD] [--raw] --out DIR
 *
 * Writes DIR/contacts.csv, DIR/interactions.csv and DIR/facts.csv (and, with
 * --raw, DIR/interactions_raw.csv as well).  The same arguments always give
 * byte-identical files: every random choice comes from a private xoshiro256**
 * generator seeded by splitmix64.  Every contact row depends only on
 * (seed, id, today), so contact attributes (language, gender, owner, ...)
 * can be recomputed cheaply while writing interactions and facts.
 *
 * C17, libc only.
 */

#include "util/date.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum {
    EXIT_IO = 1,
    EXIT_USAGE = 2,
    EXIT_INTERNAL = 3
};

#define MAX_CONTACTS 1000000000ull       /* ids must fit the id permutation */
#define MAX_ROWS 100000000000ull         /* interactions / facts */

/* ------------------------------------------------------------------ */
/* Random numbers                                                      */
/* ------------------------------------------------------------------ */

typedef struct {
    uint64_t s[4];
} Rng;

enum {
    STREAM_CONTACT = 1,
    STREAM_INTERACTION = 2,
    STREAM_FACT = 3,
    STREAM_DAYS = 4,
    STREAM_PERM = 5
};

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(Rng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
    uint64_t x = seed;
    uint64_t h = splitmix(&x);
    x = h ^ (stream * 0xD1B54A32D192ED03ull);
    h = splitmix(&x);
    x = h ^ (index * 0xAF251AF3B0F025B5ull);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static inline uint64_t rotl(uint64_t v, int k)
{
    return (v << k) | (v >> (64 - k));
}

static inline uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform integer in [0, n), n <= 2^32. */
static inline uint32_t below(Rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability permille / 1000. */
static inline int chance(Rng *r, uint32_t permille)
{
    return below(r, 1000) < permille;
}

/* ------------------------------------------------------------------ */
/* Calendar                                                            */
/* ------------------------------------------------------------------ */

/* The calendar arithmetic is rapport's own (src/util/date.c). */
static int days_in_month(int64_t y, int m) { return rp_days_in_month((int)y, m); }
static int64_t days_from_civil(int64_t y, int m, int d) { return rp_days_from_civil((int)y, m, d); }

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    rp_date t = rp_civil_from_days(z);
    *y = t.y;
    *m = t.m;
    *d = t.d;
}

/* The given date, with the day clamped to the month's length. */
static int64_t clamped_date(int64_t y, int m, int d)
{
    int dm = days_in_month(y, m);
    return days_from_civil(y, m, d > dm ? dm : d);
}

/* 0 = Sunday .. 6 = Saturday */
static int weekday(int64_t days)
{
    int64_t w = (days + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* Writes YYYY-MM-DD (10 bytes, no terminator); years 0..9999. */
static void fmt_date(char *p, int64_t days)
{
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int yy = (int)y;
    p[0] = (char)('0' + yy / 1000 % 10);
    p[1] = (char)('0' + yy / 100 % 10);
    p[2] = (char)('0' + yy / 10 % 10);
    p[3] = (char)('0' + yy % 10);
    p[4] = '-';
    put2(p + 5, m);
    p[7] = '-';
    put2(p + 8, d);
}

/* ------------------------------------------------------------------ */
/* Buffered output                                                     */
/* ------------------------------------------------------------------ */

#define OUT_CAP ((size_t)1 << 22)

typedef struct {
    FILE *f;
    char *path;
    char *buf;
    size_t pos;
    int err;
} Out;

static void out_flush(Out *o)
{
    if (o->pos && !o->err && fwrite(o->buf, 1, o->pos, o->f) != o->pos)
        o->err = errno ? errno : -1;
    o->pos = 0;
}

static inline void out_bytes(Out *o, const char *s, size_t n)
{
    if (OUT_CAP - o->pos < n)
        out_flush(o);
    memcpy(o->buf + o->pos, s, n);
    o->pos += n;
}

static inline void out_ch(Out *o, char c)
{
    if (o->pos == OUT_CAP)
        out_flush(o);
    o->buf[o->pos++] = c;
}

static inline void out_str(Out *o, const char *s)
{
    out_bytes(o, s, strlen(s));
}

static void out_u64(Out *o, uint64_t v)
{
    char t[24];
    int i = 24;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    out_bytes(o, t + i, (size_t)(24 - i));
}

static void out_i64(Out *o, int64_t v)
{
    if (v < 0) {
        out_ch(o, '-');
        out_u64(o, (uint64_t)0 - (uint64_t)v);
    } else {
        out_u64(o, (uint64_t)v);
    }
}

/* A CSV field, quoted only when it holds a comma, quote, CR or LF. */
static void out_field(Out *o, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            break;
    if (i == n) {
        out_bytes(o, s, n);
        return;
    }
    out_ch(o, '"');
    size_t from = 0;
    for (i = 0; i < n; i++) {
        if (s[i] == '"') {
            out_bytes(o, s + from, i + 1 - from);
            out_ch(o, '"');
            from = i + 1;
        }
    }
    out_bytes(o, s + from, n - from);
    out_ch(o, '"');
}

/* Minor units as a decimal with two places: 450000 -> 4500.00 */
static void out_money(Out *o, uint64_t minor)
{
    char t[2];
    out_u64(o, minor / 100);
    out_ch(o, '.');
    put2(t, (int)(minor % 100));
    out_bytes(o, t, 2);
}

static void out_date(Out *o, int64_t days)
{
    char t[10];
    fmt_date(t, days);
    out_bytes(o, t, 10);
}

static int out_open(Out *o, const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    memset(o, 0, sizeof *o);
    o->path = malloc(dl + nl + 2);
    o->buf = malloc(OUT_CAP);
    if (!o->path || !o->buf) {
        fprintf(stderr, "gen: out of memory\n");
        return -1;
    }
    memcpy(o->path, dir, dl);
    if (dl && dir[dl - 1] != '/')
        o->path[dl++] = '/';
    memcpy(o->path + dl, name, nl + 1);
    o->f = fopen(o->path, "wb");
    if (!o->f) {
        fprintf(stderr, "gen: cannot create %s: %s\n", o->path, strerror(errno));
        return -1;
    }
    return 0;
}

static int out_close(Out *o)
{
    int rc = 0;
    if (!o->f)
        return 0;
    errno = 0;
    out_flush(o);
    if (fclose(o->f) != 0 && !o->err)
        o->err = errno ? errno : -1;
    if (o->err) {
        fprintf(stderr, "gen: error writing %s: %s\n", o->path,
                o->err > 0 ? strerror(o->err) : "write failed");
        rc = -1;
    }
    free(o->buf);
    free(o->path);
    memset(o, 0, sizeof *o);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Text data                                                           */
/* ------------------------------------------------------------------ */

typedef struct {
    const char *const *v;
    uint32_t n;
} List;

#define LIST(a) { (a), (uint32_t)COUNT(a) }

static const char *const team[] = {"anna", "boris", "kate", "oleg", "sam"};
/* Owner weights per language, in the order of team[]. */
static const uint32_t team_w_ru[5] = {30, 25, 10, 25, 10};
static const uint32_t team_w_en[5] = {10, 10, 35, 10, 35};

static const char *const tag_names[] = {
    "vip", "wholesale", "newsletter", "wedding", "referral", "corporate",
    "student", "pensioner", "loyalty", "birthday-club", "new", "returning",
    "online", "instagram", "gift", "family"
};

static const char *const domains[] = {"example.org", "example.com", "example.net"};

/* ---- Russian names ---- */

static const char *const ru_male[] = {
    "Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим",
    "Валерий", "Василий", "Виктор", "Виталий", "Владимир", "Владислав",
    "Вячеслав", "Геннадий", "Георгий", "Глеб", "Григорий", "Даниил", "Денис",
    "Дмитрий", "Евгений", "Егор", "Иван", "Игорь", "Илья", "Кирилл",
    "Константин", "Лев", "Леонид", "Максим", "Марк", "Матвей", "Михаил",
    "Никита", "Николай", "Олег", "Павел", "Пётр", "Роман", "Руслан", "Семён",
    "Сергей", "Станислав", "Степан", "Тимофей", "Тимур", "Фёдор", "Филипп",
    "Юрий", "Ярослав", "Арсений", "Богдан", "Вениамин", "Эдуард", "Аркадий",
    "Герман", "Захар", "Родион", "Савелий"
};

static const char *const ru_female[] = {
    "Александра", "Алина", "Алёна", "Алла", "Анастасия", "Ангелина", "Анна",
    "Антонина", "Валентина", "Валерия", "Вера", "Вероника", "Виктория",
    "Галина", "Дарья", "Диана", "Евгения", "Екатерина", "Елена", "Елизавета",
    "Жанна", "Зинаида", "Зоя", "Инна", "Ирина", "Кира", "Клавдия", "Кристина",
    "Ксения", "Лариса", "Лидия", "Любовь", "Людмила", "Маргарита", "Марина",
    "Мария", "Милана", "Надежда", "Наталья", "Нина", "Оксана", "Ольга",
    "Полина", "Раиса", "Светлана", "София", "Таисия", "Тамара", "Татьяна",
    "Ульяна", "Фаина", "Юлия", "Яна", "Ева", "Варвара", "Василиса", "Эльвира",
    "Алиса", "Арина", "Лилия"
};

/* Masculine forms; the feminine form is derived (see ru_surname). */
static const char *const ru_surnames[] = {
    "Иванов", "Петров", "Соколов", "Смирнов", "Кузнецов", "Попов", "Васильев",
    "Михайлов", "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев",
    "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов",
    "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев",
    "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв",
    "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин",
    "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов",
    "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
    "Герасимов", "Богданов", "Осипов", "Сидоров", "Матвеев", "Титов",
    "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников",
    "Денисов", "Гаврилов", "Тихонов", "Казаков", "Сёмин", "Лавров",
    "Островский", "Вишневский", "Толстой", "Трубецкой", "Шевченко",
    "Бондаренко", "Черных", "Седых", "Раевский"
};

typedef struct {
    const char *m, *f;
} Pair;

static const Pair ru_patronymics[] = {
    {"Александрович", "Александровна"}, {"Алексеевич", "Алексеевна"},
    {"Андреевич", "Андреевна"}, {"Борисович", "Борисовна"},
    {"Викторович", "Викторовна"}, {"Владимирович", "Владимировна"},
    {"Геннадьевич", "Геннадьевна"}, {"Дмитриевич", "Дмитриевна"},
    {"Евгеньевич", "Евгеньевна"}, {"Иванович", "Ивановна"},
    {"Игоревич", "Игоревна"}, {"Константинович", "Константиновна"},
    {"Михайлович", "Михайловна"}, {"Николаевич", "Николаевна"},
    {"Олегович", "Олеговна"}, {"Павлович", "Павловна"},
    {"Петрович", "Петровна"}, {"Сергеевич", "Сергеевна"},
    {"Юрьевич", "Юрьевна"}, {"Фёдорович", "Фёдоровна"},
    {"Семёнович", "Семёновна"}, {"Анатольевич", "Анатольевна"},
    {"Васильевич", "Васильевна"}, {"Григорьевич", "Григорьевна"},
    {"Леонидович", "Леонидовна"}, {"Артёмович", "Артёмовна"}
};

static const char *const ru_org_cores[] = {
    "Северный ветер", "Белая река", "Ромашка", "Уютный дом", "Три медведя",
    "Золотой ключик", "Альфа-Сервис", "Вектор", "Солнечный берег",
    "Мастер Плюс", "Каменный цветок", "Зелёная улица"
};

/* ---- English names ---- */

static const char *const en_male[] = {
    "James", "John", "Robert", "Michael", "William", "David", "Richard",
    "Joseph", "Thomas", "Charles", "Christopher", "Daniel", "Matthew",
    "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kevin",
    "Brian", "George", "Timothy", "Ronald", "Edward", "Jason", "Jeffrey",
    "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan", "Stephen",
    "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory",
    "Alexander", "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Jerry",
    "Tyler", "Aaron", "Henry", "Oliver", "Harry", "Oscar", "Charlie", "Alfie",
    "Leo", "Arthur", "Theo"
};

static const char *const en_female[] = {
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan",
    "Jessica", "Sarah", "Karen", "Lisa", "Nancy", "Betty", "Sandra",
    "Margaret", "Ashley", "Kimberly", "Emily", "Donna", "Michelle", "Carol",
    "Amanda", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura",
    "Cynthia", "Amy", "Kathleen", "Angela", "Helen", "Anna", "Brenda", "Emma",
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Isabella", "Sophie", "Grace",
    "Lily", "Freya", "Chloe", "Ella", "Evie", "Charlotte", "Poppy", "Ruby",
    "Hannah", "Lucy", "Alice", "Rose", "Zoe", "Megan", "Holly", "Abigail"
};

static const char *const en_surnames[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
    "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson",
    "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
    "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill",
    "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts",
    "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
    "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper",
    "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox",
    "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes",
    "Price", "Sanders", "Patel", "Hall", "Khan", "Davies", "O'Brien",
    "O'Connor", "McDonald", "Fletcher", "Hart", "Lloyd", "Walsh", "Holmes",
    "Smith-Jones"
};

static const char *const en_org_cores[] = {
    "Blue Harbour", "Northwind", "Greenfield", "Oak Lane", "Silver Birch",
    "Red Kite", "Brightwater", "Kingsbridge", "Maple & Rye", "Hillside",
    "The \"Little Things\"", "Cedar Row"
};

static const char *const gb_org_suffix[] = {" Ltd", " Ltd.", " & Co", " Events Ltd"};
static const char *const us_org_suffix[] = {", Inc.", " LLC", " Group", ", LLC"};

static const char *const us_area[] = {
    "212", "415", "617", "312", "206", "512", "303", "305", "702", "718",
    "646", "213", "404", "503"
};

/* ---- Text templates ----
 * "@x" is replaced by a random entry of the language's slot list x (which
 * may itself contain slots); "{a|b}" picks a for a male and b for a female
 * contact.  validate_texts() checks every string at start-up. */

/* Russian slot lists */
static const char *const ru_A[] = {
    "подшить рукава", "укоротить брюки", "упаковать в подарок",
    "доставить до четверга", "заменить пуговицы", "ушить в талии",
    "сделать гравировку", "отложить до пятницы"
};
static const char *const ru_B[] = {
    "звонки после 18:00", "общение в мессенджере", "переписку по почте",
    "утренние визиты", "короткие сообщения", "звонки, а не письма"
};
static const char *const ru_C[] = {
    "Казани", "Москве", "Санкт-Петербурге", "Новосибирске", "Екатеринбурге",
    "Нижнем Новгороде", "Самаре", "Томске", "Твери", "Калининграде", "Сочи",
    "Ярославле", "Владивостоке", "Перми", "Воронеже"
};
static const char *const ru_c[] = {
    "Казань", "Москву", "Санкт-Петербург", "Новосибирск", "Екатеринбург",
    "Нижний Новгород", "Самару", "Томск", "Тверь", "Калининград", "Сочи",
    "Ярославль", "Владивосток", "Пермь", "Воронеж"
};
static const char *const ru_D[] = {
    "пятницу", "понедельник", "вторник", "среду", "четверг", "субботу",
    "следующий вторник", "завтра"
};
static const char *const ru_E[] = {
    "дочь поступила в университет в @C", "сын женится в @M",
    "дочь выходит замуж в @M", "у мамы была операция на @b",
    "{жена сломала|муж сломал} руку на катке",
    "у {жены|мужа} день рождения в @M", "внук пошёл в первый класс",
    "внучка окончила школу с медалью", "они переезжают в @c в @M",
    "сын вернулся из армии", "у них родилась внучка",
    "устроил{ся|ась} на новую работу", "собака принесла щенков",
    "дочь родила двойню", "сын поступил в МГУ", "пробежал{|а} марафон в @C",
    "летом едут на море", "мама переехала к ним жить",
    "готовятся к свадьбе дочери", "{ему|ей} предстоит операция на @b",
    "закончил{|а} ремонт на кухне", "сын играет в хоккей за школьную команду",
    "дочь учится в @C на врача", "в @M у них серебряная свадьба",
    "{вышел|вышла} на пенсию"
};
static const char *const ru_F[] = {
    "жены", "мужа", "мамы", "папы", "дочери", "сына", "внучки", "внука",
    "свекрови", "тёщи", "коллеги", "подруги", "начальника", "сестры", "брата"
};
static const char *const ru_G[] = {
    "пальто", "платье", "зимнюю куртку", "кожаную сумку", "туфли",
    "подарочный сертификат", "костюм", "шёлковый шарф", "кожаный ремень",
    "кашемировый свитер", "пуховик", "набор \"Утренний кофе\"",
    "книгу \"Мастер и Маргарита\"", "два комплекта постельного белья",
    "детские сапоги", "очки для чтения", "абонемент на 10 занятий"
};
static const char *const ru_H[] = {
    "ко дню рождения", "к Новому году", "к 8 Марта", "к юбилею", "к свадьбе",
    "к годовщине свадьбы", "к выпускному"
};
static const char *const ru_I[] = {"спину", "давление", "колено", "мигрени", "бессонницу"};
static const char *const ru_J[] = {
    "поездку в @c", "ремонт на даче", "новую работу", "нового щенка",
    "свадьбу сына", "выпускной дочери", "соревнования внука"
};
static const char *const ru_K[] = {
    "счёт", "договор", "прайс-лист", "фото новой коллекции",
    "подтверждение заказа", "акт сверки", "чек"
};
static const char *const ru_L[] = {
    "отпуска в Турции", "командировки", "санатория", "отпуска на море",
    "поездки в @c", "Санкт-Петербурга", "гостей у дочери"
};
static const char *const ru_M[] = {
    "январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
    "сентябре", "октябре", "ноябре", "декабре"
};
static const char *const ru_O[] = {
    "Всё отлично, спасибо", "Буду рекомендовать", "Лучший сервис в городе",
    "Спасибо за заботу", "Быстро и вежливо"
};
static const char *const ru_P[] = {
    "новую коллекцию", "скидки для постоянных клиентов",
    "подарочные сертификаты", "доставку в @c", "программу лояльности",
    "сроки пошива", "рассрочку", "график работы в праздники",
    "карту \"Золотой клиент\""
};
static const char *const ru_Q[] = {
    "пошива", "ткани", "упаковки", "доставки", "обслуживания", "ремонта",
    "фурнитуры"
};
static const char *const ru_R[] = {"5", "10", "15", "20", "30"};
static const char *const ru_S[] = {
    "примерку", "консультацию", "замеры", "стрижку", "маникюр", "чистку лица",
    "фотосессию", "диагностику", "повторный приём"
};
static const char *const ru_T[] = {
    "10:00", "11:30", "12:00", "14:30", "15:00", "16:45", "18:00"
};
static const char *const ru_U[] = {
    "условия доставки", "новый заказ", "скидку для постоянных клиентов",
    "сроки пошива", "детали свадьбы", "оптовый заказ для офиса",
    "корпоративные подарки для сотрудников", "оплату в рассрочку"
};
static const char *const ru_V[] = {
    "подруге", "коллеге", "сестре", "соседке", "брату", "маме", "мужу", "жене",
    "дочери", "сыну", "начальнику"
};
static const char *const ru_W[] = {
    "завтра утром", "после обеда", "в понедельник", "на следующей неделе",
    "после 18:00", "в конце месяца", "вечером"
};
static const char *const ru_X[] = {
    "заболел ребёнок", "срочная командировка", "сломалась машина",
    "задерживается на работе", "плохо себя чувствует", "уезжает на дачу",
    "семейные обстоятельства"
};
static const char *const ru_Y[] = {
    "картой", "частями", "по QR-коду", "наличными", "переводом", "через СБП"
};
static const char *const ru_Z[] = {
    "доставка опоздала на два дня", "привезли не тот размер",
    "в чеке ошибка", "долго ждал{|а} на линии",
    "курьер не позвонил заранее", "на пальто оторвалась пуговица",
    "деньги списали дважды", "заказ пришёл без упаковки",
    "мастер опоздал на полчаса", "не перезвонили, как обещали"
};
static const char *const ru_a[] = {
    "шерсть", "орехи", "латекс", "цитрусовые", "пыльцу", "лаванду", "кошек"
};
static const char *const ru_b[] = {"колене", "спине", "плече", "сердце", "глазах", "бедре"};
static const char *const ru_d[] = {
    "12 мая", "3 сентября", "25 декабря", "8 марта", "14 февраля", "30 июня",
    "19 октября", "1 апреля"
};
static const char *const ru_e[] = {"50", "55", "60", "65", "70", "75", "80"};
static const char *const ru_g[] = {
    "дочерью", "мужем", "женой", "мамой", "подругой", "сыном", "внучкой"
};
static const char *const ru_h[] = {"37", "38", "39", "40", "41", "42", "43", "44"};
static const char *const ru_j[] = {
    "врачом", "учителем", "программистом", "бухгалтером", "юристом",
    "инженером", "архитектором", "дизайнером"
};
static const char *const ru_l[] = {
    "чёрный кофе без сахара", "классическую музыку", "синий цвет", "джаз",
    "пионы", "итальянскую кухню", "рыбалку", "театр"
};
static const char *const ru_m[] = {
    "конца месяца", "понедельника", "праздников", "следующей недели"
};
static const char *const ru_n[] = {
    "Саша", "Лёша", "Дима", "Миша", "Серёжа", "Женя", "Коля"
};
static const char *const ru_o[] = {
    "Саша", "Катя", "Лена", "Таня", "Женя", "Маша", "Оля"
};
static const char *const ru_p[] = {
    "Бублик", "Рыжик", "Марта", "Граф", "Лаки", "Муся", "Тузик"
};
static const char *const ru_q[] = {
    "пальто 48 размера", "зимних ботинок", "платья в синем цвете",
    "подарочных сертификатов", "кашемировых шарфов", "чёрной кожаной сумки"
};
static const char *const ru_r[] = {
    "был{|а} очень рад{|а}", "поблагодарил{|а}", "сказал{|а}, что очень приятно"
};
static const char *const ru_s[] = {"44", "46", "48", "50", "52", "54"};
static const char *const ru_t[] = {"Анне", "Борису", "Кате", "Олегу", "Сэму"};
static const char *const ru_x[] = {"3000", "5000", "10 000", "15 000"};
static const char *const ru_y[] = {
    "Новым годом", "8 Марта", "23 Февраля", "юбилеем", "годовщиной свадьбы",
    "днём рождения дочери"
};
static const char *const ru_z[] = {
    "брак на молнии", "пятно на ткани", "не тот цвет", "разошёлся шов",
    "сломана застёжка"
};

/* Russian template pools */
static const char *const ru_general[] = {
    "Рассказал{|а}, что @E",
    "Поделил{ся|ась} новостью: @E",
    "Упомянул{|а}, что @E",
    "Сказал{|а}, что @E",
    "Спрашивал{|а} про @P",
    "Спросил{|а}, можно ли оплатить @Y",
    "Попросил{|а} перезвонить @W",
    "Договорились созвониться @W",
    "Перен{ёс|есла} встречу на @D",
    "Записал{ся|ась} на @S на @D",
    "Отменил{|а} запись: @X",
    "Интересовал{ся|ась} программой лояльности",
    "Просил{|а} прислать каталог на почту",
    "Сказал{|а}, что @E, просил{|а} не беспокоить до @m",
    "Ищет подарок для @F @H",
    "Посоветовал{|а} нас @V",
    "При{шёл|шла} по рекомендации @F",
    "Жалуется на @I, просит перенести визит",
    "Вернул{ся|ась} из @L, всё понравилось",
    "Обсудили @U",
    "Ответил{|а} на рассылку, спрашивал{|а} про @P",
    "Подтвердил{|а} визит на @D в @T",
    "Сообщил{|а}, что переезжает в @c",
    "Уточнил{|а} часы работы в праздники",
    "Спросил{|а} про подарочный сертификат на @x руб.",
    "Оставил{|а} отзыв: \"@O\"",
    "Попросил{|а} добавить в рассылку",
    "Отписал{ся|ась} от рассылки",
    "Сменил{|а} адрес, теперь живёт в @C",
    "Передал{|а} привет @t",
    "Рассказал{|а} про @J",
    "Спросил{|а} совета, что подарить @V",
    "Поздравили с днём рождения, @r",
    "Поздравили с @y, @r",
    "Напомнили о записи на @D",
    "Уточнил{|а} наличие @q",
    "Спрашивал{|а}, когда будет распродажа",
    "Попросил{|а} выставить счёт на организацию",
    "Уезжает в @c до @m, связаться после",
    "Просит обращаться на \"ты\""
};
static const char *const ru_call[] = {
    "Не дозвонились, оставили сообщение",
    "Перезвонил{|а} сам{|а}, уточнил{|а} статус заказа",
    "Звонок по поводу заказа, всё в порядке",
    "Короткий звонок: подтвердил{|а} @S на @D",
    "Не дозвонились, телефон выключен",
    "Позвонил{|а} уточнить, готов ли заказ"
};
static const char *const ru_email[] = {
    "Отправили @K по почте",
    "Прислал{|а} реквизиты для счёта",
    "Отправили поздравление и промокод на @R%",
    "Ответил{|а} на письмо про @P",
    "Прислал{|а} фото, просит подобрать похожее"
};
static const char *const ru_msg[] = {
    "Написал{|а} в мессенджер, спрашивал{|а} про @P",
    "Прислал{|а} голосовое: @E",
    "Попросил{|а} скинуть фото @q",
    "Написал{|а}: \"@O\""
};
static const char *const ru_visit[] = {
    "Заходил{|а} на примерку, всё подошло",
    "Встреча в офисе: обсудили @U",
    "При{шёл|шла} с @g, выбирали @G",
    "Заш{ёл|ла} без записи, посмотрел{|а} новую коллекцию",
    "Приходил{|а} на @S, остал{ся|ась} довол{ен|ьна}"
};
static const char *const ru_inote[] = {
    "Важно: @E",
    "На заметку: предпочитает @B",
    "На заметку. @f",
    "Напомнить про скидку @H",
    "Просил{|а} не звонить по выходным",
    "Внести в список на распродажу"
};
static const char *const ru_purchase[] = {
    "Купил{|а} @G",
    "Купил{|а} @G, просил{|а} @A",
    "Оплатил{|а} заказ: @G и @G",
    "Забрал{|а} @G, всё подошло",
    "Купил{|а} @G в подарок для @F",
    "Заказал{|а} @G, доставка на @D",
    "Повторный заказ: @G, оплата картой",
    "Купил{|а} @G со скидкой @R%",
    "Выбрал{|а} @G, оплатил{|а} @Y",
    "Предоплата за @G",
    "Докупил{|а} @G к прошлому заказу"
};
static const char *const ru_complaint[] = {
    "Пожаловал{ся|ась}, что @Z",
    "Недовол{ен|ьна} качеством @Q",
    "Жалоба: @Z",
    "Просит вернуть деньги за @G",
    "Недовол{ен|ьна}: @Z, просит компенсацию",
    "Требует замену: @z"
};
static const char *const ru_fact[] = {
    "Операция на @b",
    "Операция на @b в @M",
    "Дочь поступила в университет в @C",
    "Сын женится в @M",
    "Свадьба дочери в @M",
    "Аллергия на @a",
    "Переезжает в @c в @M",
    "Юбилей в @M, @e лет",
    "Любит @l",
    "Размер одежды @s, обувь @h",
    "Вегетариан{ец|ка}",
    "Ждёт внука в @M",
    "Просит обращаться по имени-отчеству",
    "Есть собака по кличке @p",
    "Работает @j",
    "Не любит звонки по выходным",
    "Предпочитает @B",
    "День рождения @F — @d",
    "Годовщина свадьбы @d",
    "Сын служит в армии, вернётся в @M",
    "Внучка пошла в первый класс",
    "Не ест сладкое, диабет",
    "Лечит @I, не назначать визиты рано утром",
    "Дочь @o выходит замуж в @M",
    "Учится на курсах в @C"
};
static const char *const ru_cnote[] = {
    "@f",
    "Постоянный клиент, ходит к нам много лет",
    "Предпочитает @B",
    "Просит называть себя \"{@n|@o}\"",
    "Не звонить по выходным.\nТолько мессенджер",
    "Оптовый покупатель, скидка 10%",
    "При{шёл|шла} по рекомендации @F",
    "Очень пунктуал{ен|ьна}, не любит ждать",
    "Говорит: \"Лучше звоните вечером\"",
    "Работает @j, удобно звонить в обед",
    "Любит, когда напоминают о скидках"
};

/* English slot lists */
static const char *const en_A[] = {
    "shorten the sleeves", "gift wrap it", "deliver by Thursday",
    "replace the buttons", "take in the waist", "engrave it",
    "hold it until Friday"
};
static const char *const en_B[] = {
    "calls after 6pm", "WhatsApp over email", "email over phone calls",
    "morning appointments", "short messages", "to be called by first name"
};
static const char *const en_C[] = {
    "London", "Manchester", "Edinburgh", "Bristol", "Leeds", "Cardiff",
    "Glasgow", "York", "Boston", "Chicago", "Seattle", "Austin", "Denver",
    "Portland"
};
static const char *const en_D[] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};
static const char *const en_E[] = {
    "{his|her} daughter got into university in @C",
    "{his|her} son is getting married in @M",
    "{his|her} daughter is getting married in @M",
    "{his|her} mum had @b surgery",
    "{his wife|her husband} broke an arm skiing",
    "{his|her} grandson started school",
    "{his|her} granddaughter graduated with honours",
    "the family is moving to @C in @M",
    "{his|her} son is back from the army",
    "a new granddaughter was born",
    "{he|she} started a new job",
    "the dog had puppies",
    "{his|her} daughter had twins",
    "{he|she} ran the @C marathon",
    "they are off to Spain for the summer",
    "{his|her} mum moved in with them",
    "they are planning {his|her} daughter's wedding",
    "{he|she} needs @b surgery",
    "{he|she} finished renovating the kitchen",
    "{his|her} son made the school football team",
    "{his|her} daughter is studying medicine in @C",
    "it is their silver wedding anniversary in @M",
    "{he|she} retired last month"
};
static const char *const en_F[] = {
    "wife", "husband", "mum", "dad", "daughter", "son", "granddaughter",
    "grandson", "colleague", "best friend", "sister", "brother", "boss",
    "neighbour"
};
static const char *const en_G[] = {
    "a wool coat", "a pair of boots", "a leather bag", "a silk scarf",
    "the \"Classic\" gift set", "a gift card", "two shirts", "a winter jacket",
    "a dress for a wedding", "running shoes", "a suit", "a watch strap",
    "a cashmere jumper", "reading glasses", "a 10-class pass",
    "a \"Morning Coffee\" hamper"
};
static const char *const en_H[] = {
    "for a birthday", "for Christmas", "for their anniversary",
    "for a wedding", "for graduation", "for Mother's Day",
    "for a retirement party"
};
static const char *const en_I[] = {"back", "knee", "blood pressure", "migraines"};
static const char *const en_J[] = {
    "a trip to @C", "the new puppy", "renovating the kitchen",
    "{his|her} new job", "{his|her} son's wedding",
    "the grandkids' football match"
};
static const char *const en_K[] = {
    "invoice", "contract", "price list", "photos of the new range",
    "order confirmation", "statement", "receipt"
};
static const char *const en_L[] = {
    "a holiday in Spain", "a work trip", "a spa weekend", "the cottage",
    "a trip to @C", "a cruise", "visiting family in @C"
};
static const char *const en_M[] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"
};
static const char *const en_O[] = {
    "Great service, thank you", "Will recommend you", "Best shop in town",
    "So helpful, thanks!", "Quick and friendly"
};
static const char *const en_P[] = {
    "the new collection", "discounts for regulars", "gift cards",
    "delivery to @C", "the loyalty programme", "lead times",
    "paying in instalments", "the \"Gold\" membership",
    "opening hours over the holidays"
};
static const char *const en_Q[] = {
    "stitching", "fabric", "packaging", "delivery", "service", "repair", "zip"
};
static const char *const en_R[] = {"5", "10", "15", "20", "30"};
static const char *const en_S[] = {
    "fitting", "consultation", "haircut", "follow-up visit",
    "measurement session", "colour appointment", "photo shoot", "check-up"
};
static const char *const en_T[] = {
    "10:00", "11:30", "12:00", "14:30", "15:00", "16:45", "18:00"
};
static const char *const en_U[] = {
    "delivery terms", "a new order", "a discount for regulars",
    "tailoring lead times", "the wedding details",
    "a bulk order for the office", "corporate gifts for staff",
    "payment in instalments"
};
static const char *const en_W[] = {
    "after lunch", "tomorrow morning", "next week", "after 6pm", "on Monday",
    "at the end of the month", "later today"
};
static const char *const en_X[] = {
    "the kid is ill", "stuck at work", "travelling for work",
    "the car broke down", "feeling unwell", "a family emergency"
};
static const char *const en_Y[] = {
    "by card", "in instalments", "in cash", "by bank transfer",
    "with Apple Pay", "on account"
};
static const char *const en_Z[] = {
    "the delivery was two days late", "we sent the wrong size",
    "the receipt had a mistake", "{he|she} was kept on hold for ages",
    "the courier did not call ahead", "a button came off the coat",
    "the card was charged twice", "the order arrived without packaging",
    "the stylist was half an hour late", "nobody called back as promised"
};
static const char *const en_a[] = {
    "wool", "nuts", "latex", "citrus", "pollen", "lavender", "cats"
};
static const char *const en_b[] = {"knee", "hip", "back", "shoulder", "cataract"};
static const char *const en_d[] = {
    "12 May", "3 September", "25 December", "8 March", "14 February",
    "30 June", "19 October", "1 April"
};
static const char *const en_e[] = {"40", "50", "60", "65", "70", "75", "80"};
static const char *const en_h[] = {"5", "6", "7", "8", "9", "10", "11"};
static const char *const en_j[] = {
    "a nurse", "a teacher", "a software engineer", "an accountant",
    "a lawyer", "an architect", "a firefighter"
};
static const char *const en_l[] = {
    "black coffee", "classical music", "the colour blue", "jazz", "peonies",
    "Italian food", "fishing", "the theatre"
};
static const char *const en_m[] = {
    "the end of the month", "Monday", "after the holidays", "next week",
    "mid-@M"
};
static const char *const en_n[] = {"Bob", "Jim", "Mike", "Tom", "Bill", "Alex"};
static const char *const en_o[] = {"Liz", "Kate", "Maggie", "Jen", "Sue", "Alex"};
static const char *const en_p[] = {
    "Biscuit", "Max", "Bella", "Rosie", "Charlie", "Teddy"
};
static const char *const en_q[] = {
    "the size 10 coat", "winter boots in size 8", "the blue dress",
    "cashmere scarves", "gift sets", "the leather bag in black"
};
static const char *const en_r[] = {
    "{he|she} was delighted", "{he|she} said thanks", "very touched"
};
static const char *const en_s[] = {"S", "M", "L", "XL", "10", "12", "14"};
static const char *const en_t[] = {"Anna", "Boris", "Kate", "Oleg", "Sam"};
static const char *const en_u[] = {
    "flu", "a hip replacement", "a broken wrist", "knee surgery", "a bad back"
};
static const char *const en_v[] = {
    "knee surgery", "hip replacement", "cataract surgery", "dental implant",
    "physio"
};
static const char *const en_y[] = {"Christmas", "New Year", "anniversary", "Easter"};
static const char *const en_z[] = {
    "a faulty zip", "a stain on the fabric", "wrong colour", "a split seam",
    "a broken clasp"
};

/* English template pools */
static const char *const en_general[] = {
    "Mentioned that @E",
    "Told us that @E",
    "Shared some news: @E",
    "Said that @E",
    "Asked about @P",
    "Asked if {he|she} can pay @Y",
    "Asked us to call back @W",
    "Agreed to speak again @W",
    "Moved the appointment to @D",
    "Booked a @S for @D",
    "Cancelled the appointment, @X",
    "Interested in the loyalty programme",
    "Asked for the catalogue by email",
    "Said that @E, please do not disturb until @m",
    "Looking for a present for {his|her} @F @H",
    "Recommended us to {his|her} @F",
    "Came in on a recommendation from {his|her} @F",
    "Having trouble with {his|her} @I, asked to move the visit",
    "Back from @L, loved it",
    "Discussed @U",
    "Replied to the newsletter, asked about @P",
    "Confirmed the visit on @D at @T",
    "Said {he|she} is moving to @C",
    "Asked about opening hours over the holidays",
    "Asked about gift cards for {his|her} @F",
    "Left a review: \"@O\"",
    "Asked to be added to the mailing list",
    "Unsubscribed from the newsletter",
    "Updated the address, now lives in @C",
    "Says hi to @t",
    "Told us about @J",
    "Asked for advice on what to get {his|her} @F",
    "Wished {him|her} a happy birthday, @r",
    "Wished {him|her} a happy @y, @r",
    "Reminded about the appointment on @D",
    "Checked stock of @q",
    "Asked when the next sale starts",
    "Asked for an invoice made out to {his|her} company",
    "Away in @C until @m, contact after",
    "Prefers to be called by {his|her} first name",
    "Asked about the @v follow-up"
};
static const char *const en_call[] = {
    "No answer, left a voicemail",
    "Called back about the order status, all fine",
    "Quick call to confirm the @S on @D",
    "Phone switched off, will try again @W",
    "Called to check whether the order is ready",
    "Called about the last order, all good"
};
static const char *const en_email[] = {
    "Sent the @K by email",
    "Sent over billing details for the invoice",
    "Sent birthday greetings and a @R% promo code",
    "Replied to our email about @P",
    "Emailed photos, wants something similar"
};
static const char *const en_msg[] = {
    "Messaged on WhatsApp, asked about @P",
    "Sent a voice note: @E",
    "Asked us to send photos of @q",
    "Texted: \"@O\""
};
static const char *const en_visit[] = {
    "Came in for a fitting, all good",
    "Office meeting: discussed @U",
    "Came in with {his|her} @F, looked at @G",
    "Dropped in without booking, browsed the new range",
    "Came in for a @S, left happy"
};
static const char *const en_inote[] = {
    "Important: @E",
    "Note: prefers @B",
    "Remember: @f",
    "Remind about the discount @H",
    "Asked not to be called at weekends",
    "Add to the list for the sale"
};
static const char *const en_purchase[] = {
    "Bought @G",
    "Bought @G, asked us to @A",
    "Paid for the order: @G and @G",
    "Picked up @G, everything fits",
    "Bought @G as a gift for {his|her} @F",
    "Ordered @G for delivery on @D",
    "Repeat order: @G, paid by card",
    "Bought @G with a @R% discount",
    "Chose @G, paid @Y",
    "Paid a deposit for @G",
    "Added @G to the previous order"
};
static const char *const en_complaint[] = {
    "Complained the delivery was late",
    "Complained that @Z",
    "Unhappy with the quality of the @Q",
    "Complaint: @Z",
    "Wants a refund for @G",
    "Unhappy: @Z, asked for compensation",
    "Wants a replacement: @z"
};
static const char *const en_fact[] = {
    "Upcoming @b surgery in @M",
    "Daughter's wedding in @M",
    "Son's wedding in @M",
    "Allergic to @a",
    "Daughter started university in @C",
    "Moving to @C in @M",
    "Turns @e in @M",
    "Loves @l",
    "Size @s, shoe size @h",
    "Vegetarian",
    "Expecting a grandchild in @M",
    "Prefers @B",
    "Has a dog called @p",
    "Works as @j",
    "Does not like calls at weekends",
    "{His|Her} @F's birthday is on @d",
    "Wedding anniversary on @d",
    "Training for the @C marathon",
    "Recovering from @u",
    "Granddaughter started school this year",
    "Diabetic, avoid sweets as gifts",
    "Goes by \"{@n|@o}\"",
    "Son is in the army, back in @M",
    "Daughter @o is getting married in @M",
    "Taking evening classes in @C"
};
static const char *const en_cnote[] = {
    "@f",
    "Regular for many years",
    "Prefers @B",
    "Goes by \"{@n|@o}\"",
    "No calls at weekends.\nMessages only",
    "Trade customer, 10% discount",
    "Came to us through {his|her} @F",
    "Very punctual, hates waiting",
    "Says: \"Call me in the evening, please\"",
    "Works as @j, best to call at lunchtime",
    "Likes reminders about discounts"
};

static const List ru_slots[128] = {
    ['A'] = LIST(ru_A), ['B'] = LIST(ru_B), ['C'] = LIST(ru_C),
    ['c'] = LIST(ru_c), ['D'] = LIST(ru_D), ['E'] = LIST(ru_E),
    ['F'] = LIST(ru_F), ['G'] = LIST(ru_G), ['H'] = LIST(ru_H),
    ['I'] = LIST(ru_I), ['J'] = LIST(ru_J), ['K'] = LIST(ru_K),
    ['L'] = LIST(ru_L), ['M'] = LIST(ru_M), ['O'] = LIST(ru_O),
    ['P'] = LIST(ru_P), ['Q'] = LIST(ru_Q), ['R'] = LIST(ru_R),
    ['S'] = LIST(ru_S), ['T'] = LIST(ru_T), ['U'] = LIST(ru_U),
    ['V'] = LIST(ru_V), ['W'] = LIST(ru_W), ['X'] = LIST(ru_X),
    ['Y'] = LIST(ru_Y), ['Z'] = LIST(ru_Z), ['a'] = LIST(ru_a),
    ['b'] = LIST(ru_b), ['d'] = LIST(ru_d), ['e'] = LIST(ru_e),
    ['f'] = LIST(ru_fact), ['g'] = LIST(ru_g), ['h'] = LIST(ru_h),
    ['j'] = LIST(ru_j), ['l'] = LIST(ru_l), ['m'] = LIST(ru_m),
    ['n'] = LIST(ru_n), ['o'] = LIST(ru_o), ['p'] = LIST(ru_p),
    ['q'] = LIST(ru_q), ['r'] = LIST(ru_r), ['s'] = LIST(ru_s),
    ['t'] = LIST(ru_t), ['x'] = LIST(ru_x), ['y'] = LIST(ru_y),
    ['z'] = LIST(ru_z)
};

static const List en_slots[128] = {
    ['A'] = LIST(en_A), ['B'] = LIST(en_B), ['C'] = LIST(en_C),
    ['D'] = LIST(en_D), ['E'] = LIST(en_E), ['F'] = LIST(en_F),
    ['G'] = LIST(en_G), ['H'] = LIST(en_H), ['I'] = LIST(en_I),
    ['J'] = LIST(en_J), ['K'] = LIST(en_K), ['L'] = LIST(en_L),
    ['M'] = LIST(en_M), ['O'] = LIST(en_O), ['P'] = LIST(en_P),
    ['Q'] = LIST(en_Q), ['R'] = LIST(en_R), ['S'] = LIST(en_S),
    ['T'] = LIST(en_T), ['U'] = LIST(en_U), ['W'] = LIST(en_W),
    ['X'] = LIST(en_X), ['Y'] = LIST(en_Y), ['Z'] = LIST(en_Z),
    ['a'] = LIST(en_a), ['b'] = LIST(en_b), ['d'] = LIST(en_d),
    ['e'] = LIST(en_e), ['f'] = LIST(en_fact), ['h'] = LIST(en_h),
    ['j'] = LIST(en_j), ['l'] = LIST(en_l), ['m'] = LIST(en_m),
    ['n'] = LIST(en_n), ['o'] = LIST(en_o), ['p'] = LIST(en_p),
    ['q'] = LIST(en_q), ['r'] = LIST(en_r), ['s'] = LIST(en_s),
    ['t'] = LIST(en_t), ['u'] = LIST(en_u), ['v'] = LIST(en_v),
    ['y'] = LIST(en_y), ['z'] = LIST(en_z)
};

/* Interaction kinds. */
enum { K_CALL, K_MEETING, K_MESSAGE, K_EMAIL, K_VISIT, K_PURCHASE, K_COMPLAINT, K_NOTE, K_COUNT };

static const char *const kind_names[K_COUNT] = {
    "call", "meeting", "message", "email", "visit", "purchase", "complaint", "note"
};

/* Probability (per mille) of each kind during the day. */
static const uint32_t kind_w[K_COUNT] = {200, 80, 180, 140, 120, 200, 10, 70};

typedef struct {
    const List *slots;
    List kind_pool[K_COUNT];          /* kind-specific templates */
    uint32_t kind_share[K_COUNT];     /* per mille taken from kind_pool */
    List general, fact, cnote;
    const char *fallback;
} Lang;

static const Lang langs[2] = {
    {
        ru_slots,
        {LIST(ru_call), LIST(ru_visit), LIST(ru_msg), LIST(ru_email),
         LIST(ru_visit), LIST(ru_purchase), LIST(ru_complaint), LIST(ru_inote)},
        {300, 250, 300, 400, 300, 1000, 1000, 500},
        LIST(ru_general), LIST(ru_fact), LIST(ru_cnote),
        "Связались с клиентом по текущему заказу"
    },
    {
        en_slots,
        {LIST(en_call), LIST(en_visit), LIST(en_msg), LIST(en_email),
         LIST(en_visit), LIST(en_purchase), LIST(en_complaint), LIST(en_inote)},
        {300, 250, 300, 400, 300, 1000, 1000, 500},
        LIST(en_general), LIST(en_fact), LIST(en_cnote),
        "Got in touch about the current order"
    }
};

enum { LANG_RU = 0, LANG_EN = 1 };

/* ------------------------------------------------------------------ */
/* Template expansion                                                  */
/* ------------------------------------------------------------------ */

typedef struct {
    char *p;
    size_t n, cap;
    int over;
} Txt;

static inline void txt_put(Txt *t, const char *s, size_t n)
{
    if (t->cap - t->n <= n) {
        t->over = 1;
        return;
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
}

static inline void txt_str(Txt *t, const char *s)
{
    txt_put(t, s, strlen(s));
}

static void expand(Rng *r, const List *slots, int female, const char *s,
                   size_t len, Txt *t, int depth)
{
    const char *end = s + len;
    while (s < end && !t->over) {
        const char *q = s;
        while (q < end && *q != '@' && *q != '{')
            q++;
        if (q > s)
            txt_put(t, s, (size_t)(q - s));
        if (q >= end)
            break;
        if (*q == '@') {
            const List *l = &slots[(unsigned char)q[1] & 127];
            if (depth < 8 && l->n) {
                const char *f = l->v[below(r, l->n)];
                expand(r, slots, female, f, strlen(f), t, depth + 1);
            }
            s = q + 2;
        } else {
            const char *bar = memchr(q, '|', (size_t)(end - q));
            const char *close = memchr(q, '}', (size_t)(end - q));
            if (!female)
                expand(r, slots, female, q + 1, (size_t)(bar - q - 1), t, depth);
            else
                expand(r, slots, female, bar + 1, (size_t)(close - bar - 1), t, depth);
            s = close + 1;
        }
    }
}

/* Renders one template from pool into buf; retries until the length is
 * within [minb, maxb] bytes, else falls back to a fixed sentence.  Returns
 * the length (buf is not terminated). */
static size_t render(Rng *r, const Lang *lg, const List *pool, int female,
                     char *buf, size_t cap, size_t minb, size_t maxb)
{
    for (int tries = 0; tries < 32; tries++) {
        Txt t = {buf, 0, cap, 0};
        const char *tpl = pool->v[below(r, pool->n)];
        expand(r, lg->slots, female, tpl, strlen(tpl), &t, 0);
        if (!t.over && t.n >= minb && t.n <= maxb)
            return t.n;
    }
    size_t n = strlen(lg->fallback);
    memcpy(buf, lg->fallback, n);
    return n;
}

/* Checks template syntax and that every slot exists; returns 0 if good. */
static int check_text(const List *slots, const char *s, const char *lang)
{
    const char *p = s;
    int in_brace = 0, bars = 0;
    for (; *p; p++) {
        if (*p == '@') {
            unsigned char c = (unsigned char)p[1];
            if (!c || c >= 128 || !slots[c].n) {
                fprintf(stderr, "gen: bad slot in %s text: %s\n", lang, s);
                return -1;
            }
            p++;
        } else if (*p == '{') {
            if (in_brace)
                goto bad;
            in_brace = 1;
            bars = 0;
        } else if (*p == '|' && in_brace) {
            bars++;
        } else if (*p == '}') {
            if (!in_brace || bars != 1)
                goto bad;
            in_brace = 0;
        }
    }
    if (!in_brace)
        return 0;
bad:
    fprintf(stderr, "gen: bad {m|f} in %s text: %s\n", lang, s);
    return -1;
}

static int check_list(const List *slots, const List *l, const char *lang)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (check_text(slots, l->v[i], lang))
            return -1;
    return 0;
}

static int validate_texts(void)
{
    static const char *const names[2] = {"Russian", "English"};
    for (int li = 0; li < 2; li++) {
        const Lang *lg = &langs[li];
        for (int c = 0; c < 128; c++)
            if (check_list(lg->slots, &lg->slots[c], names[li]))
                return -1;
        for (int k = 0; k < K_COUNT; k++)
            if (check_list(lg->slots, &lg->kind_pool[k], names[li]))
                return -1;
        if (check_list(lg->slots, &lg->general, names[li]) ||
            check_list(lg->slots, &lg->fact, names[li]) ||
            check_list(lg->slots, &lg->cnote, names[li]))
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Transliteration (for e-mail addresses)                              */
/* ------------------------------------------------------------------ */

static const char *const cyr_latin[32] = {
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
    "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "",
    "e", "yu", "ya"
};

/* Appends a lower-case ASCII slug of a UTF-8 string: letters and digits are
 * kept (Cyrillic transliterated), '-' is kept, spaces and other separators
 * become a single '.', quotes and apostrophes vanish. */
static void slug(Txt *t, const char *s)
{
    int pending = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        const char *piece = NULL;
        char one[2] = {0, 0};
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            if (c >= 'A' && c <= 'Z')
                c += 'a' - 'A';
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
                one[0] = (char)c;
                piece = one;
            } else if (c == '\'' || c == '"') {
                continue;
            } else {
                pending = 1;
                continue;
            }
        } else {
            unsigned cp = 0;
            int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (len == 2 && p[1])
                cp = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
            for (int i = 0; i < len && *p; i++)
                p++;
            if (cp >= 0x410 && cp <= 0x42F)
                piece = cyr_latin[cp - 0x410];
            else if (cp >= 0x430 && cp <= 0x44F)
                piece = cyr_latin[cp - 0x430];
            else if (cp == 0x401 || cp == 0x451)
                piece = "yo";
            else
                continue;
            if (!*piece)
                continue;
        }
        if (pending && t->n && t->p[t->n - 1] != '.')
            txt_put(t, ".", 1);
        pending = 0;
        txt_str(t, piece);
    }
}

static void txt_u64(Txt *t, uint64_t v)
{
    char b[24];
    int i = 24;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    txt_put(t, b + i, (size_t)(24 - i));
}

/* ------------------------------------------------------------------ */
/* Contacts                                                            */
/* ------------------------------------------------------------------ */

enum { C_RU, C_GB, C_US };

typedef struct {
    int lang;       /* LANG_RU / LANG_EN */
    int org;        /* organisation rather than a person */
    int female;     /* gender of the person (or of the org's contact person) */
    int country;    /* C_RU / C_GB / C_US */
    int owner;      /* index into team[], or -1 */
} Profile;

static int pick_weighted(Rng *r, const uint32_t *w, int n)
{
    uint32_t total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    uint32_t x = below(r, total);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* Seeds r for contact id and draws the attributes other rows depend on.
 * contacts.csv continues drawing from the same r. */
static void contact_begin(Rng *r, uint64_t seed, uint64_t id, Profile *p)
{
    rng_seed(r, seed, STREAM_CONTACT, id);
    p->lang = chance(r, 600) ? LANG_RU : LANG_EN;
    p->org = chance(r, 20);
    p->female = chance(r, p->lang == LANG_RU ? 560 : 530);
    if (p->lang == LANG_RU)
        p->country = C_RU;
    else
        p->country = chance(r, 550) ? C_GB : C_US;
    if (chance(r, 100))
        p->owner = -1;
    else
        p->owner = pick_weighted(r, p->lang == LANG_RU ? team_w_ru : team_w_en, 5);
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* Writes the surname in the right gender into t. */
static void ru_surname(Txt *t, const char *m, int female)
{
    size_t n = strlen(m);
    if (!female) {
        txt_put(t, m, n);
    } else if (ends_with(m, n, "ий") || ends_with(m, n, "ой")) {
        txt_put(t, m, n - strlen("ий"));
        txt_str(t, "ая");
    } else if (ends_with(m, n, "ов") || ends_with(m, n, "ев") ||
               ends_with(m, n, "ёв") || ends_with(m, n, "ин") ||
               ends_with(m, n, "ын")) {
        txt_put(t, m, n);
        txt_str(t, "а");
    } else {
        txt_put(t, m, n);
    }
}

static void random_digits(Txt *t, Rng *r, int n)
{
    char b[16];
    for (int i = 0; i < n; i++)
        b[i] = (char)('0' + below(r, 10));
    txt_put(t, b, (size_t)n);
}

/* One e-mail address: a transliterated local part that always contains the
 * contact id (so addresses are unique), at an example.* domain. */
static void email_address(Txt *t, Rng *r, const char *first, const char *last,
                          uint64_t id, int format, int domain)
{
    char fb[128], lb[128];
    Txt ft = {fb, 0, sizeof fb, 0}, lt = {lb, 0, sizeof lb, 0};
    if (first)
        slug(&ft, first);
    slug(&lt, last);
    if (!first || !ft.n)
        format = 5;
    switch (format) {
    case 0: /* anna.ivanova.123 */
        txt_put(t, fb, ft.n);
        txt_put(t, ".", 1);
        txt_put(t, lb, lt.n);
        txt_put(t, ".", 1);
        break;
    case 1: /* aivanova123 */
        txt_put(t, fb, 1);
        txt_put(t, lb, lt.n);
        break;
    case 2: /* ivanova.anna.123 */
        txt_put(t, lb, lt.n);
        txt_put(t, ".", 1);
        txt_put(t, fb, ft.n);
        txt_put(t, ".", 1);
        break;
    case 3: /* anna_ivanova_123 */
        txt_put(t, fb, ft.n);
        txt_put(t, "_", 1);
        txt_put(t, lb, lt.n);
        txt_put(t, "_", 1);
        break;
    case 4: /* anna123 */
        txt_put(t, fb, ft.n);
        break;
    default: /* org: info.severnyy.veter.123 or severnyy.veter.123 */
        if (chance(r, 300))
            txt_str(t, "info.");
        txt_put(t, lb, lt.n);
        txt_put(t, ".", 1);
        break;
    }
    txt_u64(t, id);
    txt_put(t, "@", 1);
    txt_str(t, domains[domain]);
}

static void gen_contacts(Out *o, uint64_t seed, uint64_t n, int64_t today)
{
    int64_t ty;
    int tm, td;
    civil_from_days(today, &ty, &tm, &td);
    out_str(o, "id,name,address,tier,owner,email,phone,birthday,tags,note\n");

    char name[512], mail[512], phone[32], tags[256], note[2048], sur[128], core[256];
    for (uint64_t id = 1; id <= n; id++) {
        Rng rr, *r = &rr;
        Profile p;
        contact_begin(r, seed, id, &p);
        const Lang *lg = &langs[p.lang];

        /* name */
        Txt nt = {name, 0, sizeof name, 0};
        Txt st = {sur, 0, sizeof sur, 0};
        const char *first = NULL, *last = sur;
        if (p.org) {
            Txt ct = {core, 0, sizeof core, 0};
            if (p.lang == LANG_RU) {
                txt_str(&ct, ru_org_cores[below(r, COUNT(ru_org_cores))]);
                uint32_t k = below(r, 10);
                if (k < 7)
                    txt_str(&nt, "ООО \"");
                else if (k < 9)
                    txt_str(&nt, "АО \"");
                else
                    txt_str(&nt, "Студия «");
                txt_put(&nt, core, ct.n);
                txt_str(&nt, k < 9 ? "\"" : "»");
            } else {
                txt_str(&ct, en_org_cores[below(r, COUNT(en_org_cores))]);
                txt_put(&nt, core, ct.n);
                if (p.country == C_GB)
                    txt_str(&nt, gb_org_suffix[below(r, COUNT(gb_org_suffix))]);
                else
                    txt_str(&nt, us_org_suffix[below(r, COUNT(us_org_suffix))]);
            }
            core[ct.n] = 0;
            last = core;
        } else if (p.lang == LANG_RU) {
            first = p.female ? ru_female[below(r, COUNT(ru_female))]
                             : ru_male[below(r, COUNT(ru_male))];
            ru_surname(&st, ru_surnames[below(r, COUNT(ru_surnames))], p.female);
            sur[st.n] = 0;
            if (chance(r, 550)) {
                const Pair *pp = &ru_patronymics[below(r, COUNT(ru_patronymics))];
                const char *pat = p.female ? pp->f : pp->m;
                if (chance(r, 500)) {
                    txt_str(&nt, sur);
                    txt_put(&nt, " ", 1);
                    txt_str(&nt, first);
                    txt_put(&nt, " ", 1);
                    txt_str(&nt, pat);
                } else {
                    txt_str(&nt, first);
                    txt_put(&nt, " ", 1);
                    txt_str(&nt, pat);
                    txt_put(&nt, " ", 1);
                    txt_str(&nt, sur);
                }
            } else {
                txt_str(&nt, first);
                txt_put(&nt, " ", 1);
                txt_str(&nt, sur);
            }
        } else {
            first = p.female ? en_female[below(r, COUNT(en_female))]
                             : en_male[below(r, COUNT(en_male))];
            txt_str(&st, en_surnames[below(r, COUNT(en_surnames))]);
            sur[st.n] = 0;
            txt_str(&nt, first);
            txt_put(&nt, " ", 1);
            if (chance(r, 80)) {
                char initial[3] = {(char)('A' + below(r, 26)), '.', ' '};
                txt_put(&nt, initial, 3);
            }
            txt_str(&nt, sur);
        }

        /* address */
        const char *address;
        uint32_t a = below(r, 1000);
        if (p.lang == LANG_RU)
            address = p.org ? (a < 900 ? "vy" : "") : a < 750 ? "vy" : a < 920 ? "ty" : "";
        else
            address = p.org ? (a < 800 ? "ty" : "") : a < 820 ? "ty" : a < 880 ? "vy" : "";

        /* tier */
        uint32_t tv = below(r, 100);
        const char *tier = tv < 1 ? "panel" : tv < 11 ? "close" : tv < 71 ? "regular" : "distant";

        /* email */
        Txt mt = {mail, 0, sizeof mail, 0};
        if (!chance(r, 100)) {
            int fmt = (int)below(r, 5), dom = (int)below(r, 3);
            email_address(&mt, r, first, last, id, fmt, dom);
            if (chance(r, 56)) { /* ~5% of all contacts */
                txt_put(&mt, ";", 1);
                email_address(&mt, r, first, last, id, (fmt + 2) % 5, (dom + 1) % 3);
            }
        }

        /* phone, E.164 */
        Txt pt = {phone, 0, sizeof phone, 0};
        if (!chance(r, 150)) {
            if (p.country == C_RU) {
                txt_str(&pt, "+79");
                random_digits(&pt, r, 9);
            } else if (p.country == C_GB) {
                txt_str(&pt, "+447");
                random_digits(&pt, r, 9);
            } else {
                char ex[3] = {(char)('2' + below(r, 8)), 0, 0};
                txt_str(&pt, "+1");
                txt_str(&pt, us_area[below(r, COUNT(us_area))]);
                txt_put(&pt, ex, 1);
                random_digits(&pt, r, 6);
            }
        }

        /* birthday */
        char bday[10];
        size_t bl = 0;
        if (!p.org && chance(r, 850)) {
            if (chance(r, 150)) {
                /* no year: day of a common year, so never --02-29 */
                fmt_date(bday, days_from_civil(2001, 1, 1) + below(r, 365));
                bday[0] = '-';
                bday[1] = '-';
                memmove(bday + 2, bday + 5, 5);
                bl = 7;
            } else {
                int age = 18 + (int)((below(r, 68) + below(r, 68)) / 2);
                int64_t hi = clamped_date(ty - age, tm, td);
                fmt_date(bday, hi - below(r, 365));
                bl = 10;
            }
        }

        /* tags */
        Txt gt = {tags, 0, sizeof tags, 0};
        {
            uint32_t k = below(r, 100);
            int want = k < 40 ? 0 : k < 75 ? 1 : k < 92 ? 2 : 3;
            int chosen[3] = {0, 0, 0};
            int have = 0;
            if (p.org && chance(r, 600))
                chosen[have++] = 5; /* corporate */
            while (have < want) {
                int c = (int)below(r, COUNT(tag_names)), dup = 0;
                for (int i = 0; i < have; i++)
                    dup |= chosen[i] == c;
                if (!dup)
                    chosen[have++] = c;
            }
            for (int i = 0; i < have; i++) {
                if (i)
                    txt_put(&gt, ";", 1);
                txt_str(&gt, tag_names[chosen[i]]);
            }
        }

        /* note */
        size_t nl = 0;
        if (chance(r, 200)) {
            nl = render(r, lg, &lg->cnote, p.female, note, 600, 4, 300);
            if (chance(r, 200)) {
                const char *sep = chance(r, 500) ? "\n" : ". ";
                size_t sl = strlen(sep);
                memcpy(note + nl, sep, sl);
                nl += sl;
                nl += render(r, lg, &lg->cnote, p.female, note + nl, 600, 4, 300);
            }
        }

        out_u64(o, id);
        out_ch(o, ',');
        out_field(o, name, nt.n);
        out_ch(o, ',');
        out_str(o, address);
        out_ch(o, ',');
        out_str(o, tier);
        out_ch(o, ',');
        if (p.owner >= 0)
            out_str(o, team[p.owner]);
        out_ch(o, ',');
        out_bytes(o, mail, mt.n);
        out_ch(o, ',');
        out_bytes(o, phone, pt.n);
        out_ch(o, ',');
        out_bytes(o, bday, bl);
        out_ch(o, ',');
        out_bytes(o, tags, gt.n);
        out_ch(o, ',');
        out_field(o, note, nl);
        out_ch(o, '\n');
    }
}

/* ------------------------------------------------------------------ */
/* Skewed choice of a contact                                          */
/* ------------------------------------------------------------------ */

/* Activity rank -> contact id through an affine permutation of 0..n-1, so
 * the most active clients are scattered over the id range. */
typedef struct {
    uint64_t n, a, b;
} Perm;

static uint64_t gcd_u64(uint64_t x, uint64_t y)
{
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    return x;
}

static void perm_init(Perm *pm, uint64_t seed, uint64_t n)
{
    Rng r;
    rng_seed(&r, seed, STREAM_PERM, 0);
    pm->n = n;
    if (n == 1) {
        pm->a = 0;
        pm->b = 0;
        return;
    }
    pm->b = rng_next(&r) % n;
    pm->a = (rng_next(&r) % (n - 1)) + 1;
    while (gcd_u64(pm->a, n) != 1)
        pm->a = pm->a % (n - 1) + 1;
}

/* Activity rank: 35% uniform; 65% from x = (a + (1-a)u)^3 with a = 0.07,
 * rescaled from [a^3, 1) to [0, n).  The busiest client is then about 48
 * times as active as the average one, the quietest about 0.6 times, the
 * busiest 1% of clients produce ~10% of all rows and the busiest 10% ~30%.
 * Fixed point with 32 fraction bits. */
#define SKEW_A ((uint64_t)(0.07 * 4294967296.0))

static uint64_t cube32(uint64_t v)
{
    uint64_t v2 = (v * v) >> 32;
    return (v2 * v) >> 32;
}

static uint64_t pick_contact(Rng *r, const Perm *pm)
{
    uint64_t u = rng_next(r) >> 32;
    uint64_t rank;
    if (below(r, 1000) < 350) {
        rank = (u * pm->n) >> 32;
    } else {
        const uint64_t one = (uint64_t)1 << 32, x0 = cube32(SKEW_A);
        uint64_t v = SKEW_A + (((one - SKEW_A) * u) >> 32);
        rank = (cube32(v) - x0) * pm->n / (one - x0);
    }
    return (rank * pm->a + pm->b) % pm->n + 1;
}

/* ------------------------------------------------------------------ */
/* Interactions                                                        */
/* ------------------------------------------------------------------ */

#define DAY_SECONDS 86400u

static uint32_t time_of_day(Rng *r)
{
    uint32_t p = below(r, 1000);
    if (p < 760)
        return 9 * 3600 + below(r, 10 * 3600);   /* 09:00-19:00 */
    if (p < 900)
        return 19 * 3600 + below(r, 3 * 3600);   /* 19:00-22:00 */
    if (p < 970)
        return 7 * 3600 + below(r, 2 * 3600);    /* 07:00-09:00 */
    return (22 * 3600 + below(r, 9 * 3600)) % DAY_SECONDS; /* night */
}

static uint64_t purchase_amount(Rng *r, int country)
{
    uint32_t b = below(r, 100);
    if (country == C_RU) {
        uint64_t rub;
        if (b < 25)
            rub = 300 + 10 * (uint64_t)below(r, 70);
        else if (b < 70)
            rub = 1000 + 50 * (uint64_t)below(r, 80);
        else if (b < 92)
            rub = 5000 + 100 * (uint64_t)below(r, 150);
        else
            rub = 20000 + 500 * (uint64_t)below(r, 160);
        if (chance(r, 200) && rub >= 100)
            rub -= 1; /* 4499, 1299 ... */
        uint64_t kop = chance(r, 50) ? 10 * (uint64_t)below(r, 10) : 0;
        return rub * 100 + kop;
    } else {
        uint64_t whole;
        if (b < 40)
            whole = 5 + below(r, 45);
        else if (b < 75)
            whole = 50 + below(r, 150);
        else if (b < 95)
            whole = 200 + 5 * (uint64_t)below(r, 160);
        else
            whole = 1000 + 10 * (uint64_t)below(r, 400);
        uint32_t c = below(r, 10);
        uint64_t cents = c < 4 ? 99 : c < 5 ? 95 : c < 6 ? 50 : c < 9 ? 0 : below(r, 100);
        if (cents >= 95 && whole > 5)
            whole -= 1; /* 129.99 rather than 130.99 */
        return whole * 100 + cents;
    }
}

static int gen_interactions(Out *o, Out *raw, uint64_t seed, uint64_t m,
                            const Perm *pm, int64_t today)
{
    int64_t ty;
    int tm, td;
    civil_from_days(today, &ty, &tm, &td);
    int64_t start = clamped_date(ty - 3, tm, td) + 1;
    size_t nd = (size_t)(today - start + 1);

    out_str(o, "id,contact_id,at,kind,direction,minutes,amount,currency,by,summary\n");

    uint64_t *w = malloc(nd * sizeof *w);
    uint32_t *cnt = calloc(DAY_SECONDS, sizeof *cnt);
    if (!w || !cnt) {
        free(w);
        free(cnt);
        fprintf(stderr, "gen: out of memory\n");
        return -1;
    }

    /* Daily weights: weekdays busier, business growing over the period,
     * quiet public holidays, some day-to-day noise. */
    Rng rd;
    rng_seed(&rd, seed, STREAM_DAYS, 0);
    uint64_t total = 0;
    for (size_t i = 0; i < nd; i++) {
        int64_t day = start + (int64_t)i;
        int64_t y;
        int mo, d;
        civil_from_days(day, &y, &mo, &d);
        int wd = weekday(day);
        uint64_t v = wd == 0 ? 6 : wd == 6 ? 12 : 20;
        v *= 70 + 60 * (uint64_t)i / (nd > 1 ? nd - 1 : 1);
        v *= 85 + below(&rd, 31);
        v /= 100;
        if (mo == 1 && d <= 2)
            v /= 5;
        else if (mo == 12 && d == 25)
            v /= 3;
        else if (mo == 12 && d == 31)
            v /= 2;
        w[i] = v ? v : 1;
        total += w[i];
    }

    Rng rr, *r = &rr;
    rng_seed(r, seed, STREAM_INTERACTION, 0);
    uint64_t id = 0, cum = 0;
    char sum[512], stamp[24];
    for (size_t i = 0; i < nd; i++) {
        uint64_t before = m * cum / total;
        cum += w[i];
        uint64_t c = m * cum / total - before;
        if (!c)
            continue;
        for (uint64_t j = 0; j < c; j++)
            cnt[time_of_day(r)]++;

        int64_t day = start + (int64_t)i;
        fmt_date(stamp, day);
        stamp[10] = 'T';
        stamp[19] = 'Z';
        stamp[13] = ':';
        stamp[16] = ':';
        for (uint32_t sec = 0; sec < DAY_SECONDS; sec++) {
            if (!cnt[sec])
                continue;
            put2(stamp + 11, (int)(sec / 3600));
            put2(stamp + 14, (int)(sec / 60 % 60));
            put2(stamp + 17, (int)(sec % 60));
            int64_t unix_time = day * (int64_t)DAY_SECONDS + sec;
            int night = sec < 7 * 3600 || sec >= 22 * 3600;

            for (; cnt[sec]; cnt[sec]--) {
                id++;
                int kind;
                if (night) {
                    uint32_t k = below(r, 10);
                    kind = k < 5 ? K_MESSAGE : k < 9 ? K_EMAIL : K_NOTE;
                } else {
                    kind = pick_weighted(r, kind_w, K_COUNT);
                }
                uint64_t cid = pick_contact(r, pm);
                Rng cr;
                Profile p;
                contact_begin(&cr, seed, cid, &p);
                const Lang *lg = &langs[p.lang];

                const char *dir;
                uint32_t dv = below(r, 100);
                switch (kind) {
                case K_CALL: dir = dv < 55 ? "out" : "in"; break;
                case K_MEETING: dir = dv < 50 ? "out" : "in"; break;
                case K_MESSAGE: dir = dv < 55 ? "in" : "out"; break;
                case K_EMAIL: dir = dv < 55 ? "out" : "in"; break;
                case K_VISIT: dir = dv < 95 ? "in" : "out"; break;
                case K_PURCHASE: dir = dv < 90 ? "in" : "out"; break;
                case K_COMPLAINT: dir = dv < 95 ? "in" : "out"; break;
                default: dir = ""; break;
                }

                int minutes;
                uint32_t mv = below(r, 100);
                switch (kind) {
                case K_CALL:
                    minutes = mv < 60 ? 1 + (int)below(r, 10)
                            : mv < 90 ? 10 + (int)below(r, 21)
                                      : 30 + (int)below(r, 31);
                    break;
                case K_MEETING: minutes = 15 + 5 * (int)below(r, 22); break;
                case K_MESSAGE: minutes = (int)below(r, 6); break;
                case K_EMAIL: minutes = mv < 40 ? -1 : (int)below(r, 16); break;
                case K_VISIT: minutes = 10 + (int)below(r, 81); break;
                case K_PURCHASE: minutes = 5 + (int)below(r, 56); break;
                case K_COMPLAINT: minutes = 2 + (int)below(r, 29); break;
                default: minutes = mv < 70 ? -1 : (int)below(r, 11); break;
                }

                uint64_t amount = 0;
                const char *currency = "";
                if (kind == K_PURCHASE) {
                    amount = purchase_amount(r, p.country);
                    currency = p.country == C_RU ? "RUB" : p.country == C_GB ? "GBP" : "USD";
                }

                int by;
                if (p.owner >= 0 && chance(r, 700))
                    by = p.owner;
                else
                    by = pick_weighted(r, p.lang == LANG_RU ? team_w_ru : team_w_en, 5);

                const List *pool = &lg->general;
                if (below(r, 1000) < lg->kind_share[kind])
                    pool = &lg->kind_pool[kind];
                size_t sl = render(r, lg, pool, p.female, sum, sizeof sum, 20, 120);

                for (int f = 0; f < 2; f++) {
                    Out *x = f ? raw : o;
                    if (!x)
                        continue;
                    out_u64(x, id);
                    out_ch(x, ',');
                    out_u64(x, cid);
                    out_ch(x, ',');
                    if (f)
                        out_i64(x, unix_time);
                    else
                        out_bytes(x, stamp, 20);
                    out_ch(x, ',');
                    out_str(x, kind_names[kind]);
                    out_ch(x, ',');
                    out_str(x, dir);
                    out_ch(x, ',');
                    if (minutes >= 0)
                        out_u64(x, (uint64_t)minutes);
                    out_ch(x, ',');
                    if (kind == K_PURCHASE) {
                        if (f)
                            out_u64(x, amount);
                        else
                            out_money(x, amount);
                    }
                    out_ch(x, ',');
                    out_str(x, currency);
                    out_ch(x, ',');
                    out_str(x, team[by]);
                    out_ch(x, ',');
                    out_field(x, sum, sl);
                    out_ch(x, '\n');
                }
            }
        }
    }
    free(w);
    free(cnt);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Facts                                                               */
/* ------------------------------------------------------------------ */

static void gen_facts(Out *o, uint64_t seed, uint64_t k, const Perm *pm, int64_t today)
{
    out_str(o, "contact_id,body,follow_up\n");
    Rng rr, *r = &rr;
    rng_seed(r, seed, STREAM_FACT, 0);
    char body[512];
    for (uint64_t i = 0; i < k; i++) {
        uint64_t cid = pick_contact(r, pm);
        Rng cr;
        Profile p;
        contact_begin(&cr, seed, cid, &p);
        const Lang *lg = &langs[p.lang];
        size_t bl = render(r, lg, &lg->fact, p.female, body, sizeof body, 4, 200);
        out_u64(o, cid);
        out_ch(o, ',');
        out_field(o, body, bl);
        out_ch(o, ',');
        if (chance(r, 400))
            out_date(o, today - 30 + below(r, 91));
        out_ch(o, '\n');
    }
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

static const char usage_text[] =
    "usage: gen --contacts N [--interactions M] [--facts K] [--seed S]\n"
    "           [--today YYYY-MM-DD] [--raw] --out DIR\n"
    "\n"
    "Writes DIR/contacts.csv, DIR/interactions.csv and DIR/facts.csv\n"
    "(with --raw also DIR/interactions_raw.csv). DIR must exist.\n"
    "Defaults: M = 10*N, K = N/5, S = 1, today = current UTC date.\n";

/* Prints "gen: MSG 'ARG'" (ARG optional) and the usage; returns 2. */
static int usage_error(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "gen: %s '%s'\n", msg, arg);
    else
        fprintf(stderr, "gen: %s\n", msg);
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_date(const char *s, int64_t *days)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || y > 9998 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t contacts = 0, interactions = 0, facts = 0, seed = 1;
    int have_contacts = 0, have_inter = 0, have_facts = 0, have_today = 0, raw = 0;
    int64_t today = 0;
    const char *dir = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char opt[32];
        const char *eq = strchr(a, '=');
        if (strncmp(a, "--", 2) != 0)
            return usage_error("unexpected argument", a);
        if (eq) {
            size_t l = (size_t)(eq - a);
            if (l >= sizeof opt)
                return usage_error("unknown option", a);
            memcpy(opt, a, l);
            opt[l] = 0;
            val = eq + 1;
        } else {
            size_t l = strlen(a);
            if (l >= sizeof opt)
                return usage_error("unknown option", a);
            memcpy(opt, a, l + 1);
        }
        if (!strcmp(opt, "--help")) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (!strcmp(opt, "--raw")) {
            if (val)
                return usage_error("--raw takes no value", NULL);
            raw = 1;
            continue;
        }
        if (strcmp(opt, "--contacts") && strcmp(opt, "--interactions") &&
            strcmp(opt, "--facts") && strcmp(opt, "--seed") &&
            strcmp(opt, "--today") && strcmp(opt, "--out"))
            return usage_error("unknown option", a);
        if (!val) {
            if (i + 1 >= argc)
                return usage_error("missing value for", opt);
            val = argv[++i];
        }
        if (!strcmp(opt, "--contacts")) {
            if (parse_u64(val, MAX_CONTACTS, &contacts) || contacts == 0)
                return usage_error("--contacts must be an integer in 1..1000000000, got", val);
            have_contacts = 1;
        } else if (!strcmp(opt, "--interactions")) {
            if (parse_u64(val, MAX_ROWS, &interactions))
                return usage_error("--interactions must be an integer in 0..100000000000, got", val);
            have_inter = 1;
        } else if (!strcmp(opt, "--facts")) {
            if (parse_u64(val, MAX_ROWS, &facts))
                return usage_error("--facts must be an integer in 0..100000000000, got", val);
            have_facts = 1;
        } else if (!strcmp(opt, "--seed")) {
            if (parse_u64(val, UINT64_MAX, &seed))
                return usage_error("--seed must be an integer in 0..18446744073709551615, got", val);
        } else if (!strcmp(opt, "--today")) {
            if (parse_date(val, &today))
                return usage_error("--today must be a valid date YYYY-MM-DD in years 1900..9998, got", val);
            have_today = 1;
        } else {
            if (!*val)
                return usage_error("--out needs a directory", NULL);
            dir = val;
        }
    }
    if (!have_contacts)
        return usage_error("--contacts is required", NULL);
    if (!dir)
        return usage_error("--out is required", NULL);
    if (!have_inter)
        interactions = 10 * contacts;
    if (!have_facts)
        facts = contacts / 5;
    if (!have_today) {
        time_t now = time(NULL);
        if (now == (time_t)-1) {
            fprintf(stderr, "gen: cannot read the clock; pass --today\n");
            return EXIT_IO;
        }
        int64_t t = (int64_t)now;
        today = t / 86400 - (t % 86400 < 0);
    }

    if (validate_texts())
        return EXIT_INTERNAL;

    Perm pm;
    perm_init(&pm, seed, contacts);

    Out oc, oi, of, orw;
    memset(&orw, 0, sizeof orw);
    int rc = 0;

    if (out_open(&oc, dir, "contacts.csv")) {
        out_close(&oc);
        return EXIT_IO;
    }
    gen_contacts(&oc, seed, contacts, today);
    if (out_close(&oc))
        return EXIT_IO;

    if (out_open(&oi, dir, "interactions.csv") ||
        (raw && out_open(&orw, dir, "interactions_raw.csv"))) {
        out_close(&oi);
        out_close(&orw);
        return EXIT_IO;
    }
    if (gen_interactions(&oi, raw ? &orw : NULL, seed, interactions, &pm, today))
        rc = EXIT_IO;
    if (out_close(&oi))
        rc = EXIT_IO;
    if (raw && out_close(&orw))
        rc = EXIT_IO;
    if (rc)
        return rc;

    if (out_open(&of, dir, "facts.csv")) {
        out_close(&of);
        return EXIT_IO;
    }
    gen_facts(&of, seed, facts, &pm, today);
    if (out_close(&of))
        return EXIT_IO;
    return 0;
}
