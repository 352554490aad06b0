// Each filter of the Django kit against Django's documented outputs (docs/ref/templates/builtins.txt and
// docs/ref/contrib/humanize.txt of Django 5.2), written the Nunjucks way: `{{ value|floatformat:3 }}` in Django
// is `{{ value | floatformat(3) }}` here. Cases marked "Django 5.2" were not in the docs: they are what Django
// 5.2.17's own filters return for the same input.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { configureViews } from "../../../server/index";
import { configureDjangoKit } from "../../../server/views/django/kit_settings";
import type { NunjucksRenderer, TemplateRenderer } from "../../../server/index";

const NBSP = "\u00a0";
let dir: string;
let njk: NunjucksRenderer;
let hbs: TemplateRenderer;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "liveview-django-"));
  hbs = configureViews(dir);
  njk = configureViews(dir, "njk");
});

beforeEach(() => configureDjangoKit({ timeZone: "UTC" }));
afterAll(() => {
  configureDjangoKit();
  rmSync(dir, { recursive: true, force: true });
});

const render = (source: string, context: Record<string, unknown> = {}): string => njk.env.renderString(source, context);
const utc = (iso: string): Date => new Date(`${iso}Z`);

describe("default and default_if_none", () => {
  it("uses the default for every value Python counts as false", () => {
    for (const value of ["", 0, false, null, undefined, [], {}]) {
      expect(render('{{ value | default("nothing") }}', { value })).toBe("nothing");
    }
    expect(render('{{ value | default("nothing") }}', { value: "x" })).toBe("x");
  });

  it("wins over Nunjucks' own default, which would keep an empty string", () => {
    expect(render('{{ "" | default("nothing") }}')).toBe("nothing");
  });

  it("uses default_if_none only for null (and undefined)", () => {
    expect(render('{{ value | default_if_none("nothing") }}', { value: null })).toBe("nothing");
    expect(render('{{ value | default_if_none("nothing") }}', { value: undefined })).toBe("nothing");
    expect(render('[{{ value | default_if_none("nothing") }}]', { value: "" })).toBe("[]");
    expect(render('{{ value | default_if_none("nothing") }}', { value: 0 })).toBe("0");
  });
});

describe("date", () => {
  const value = utc("2008-01-09T10:30:05.123");

  it('formats "D d M Y" as in the docs', () => {
    expect(render('{{ value | date("D d M Y") }}', { value })).toBe("Wed 09 Jan 2008");
  });

  it.each([
    ["Y-m-d H:i", "2008-01-09 10:30"],
    ["N j, Y, P", "Jan. 9, 2008, 10:30 a.m."],
    ["jS F Y H:i", "9th January 2008 10:30"],
    ["l, F jS", "Wednesday, January 9th"],
    ["g:i A", "10:30 AM"],
    ["y n/j b M E", "08 1/9 jan Jan January"],
    ["G h H i s u", "10 10 10 30 05 123000"],
    ["c", "2008-01-09T10:30:05.123000+00:00"],
    ["r", "Wed, 09 Jan 2008 10:30:05 +0000"],
    ["U", "1199874605"],
    ["w W o z t L", "3 2 2008 9 31 True"],
    ["O Z I", "+0000 0 0"],
    ["\\Y\\e\\s: Y", "Yes: 2008"],
  ])("formats %j", (format, expected) => {
    expect(render("{{ value | date(format) }}", { value, format })).toBe(expected);
  });

  it("writes P the Django way: midnight, noon, minutes left off when zero", () => {
    const at = (time: string): string => render('{{ value | date("P") }}', { value: utc(`2021-09-05T${time}`) });
    expect(at("00:00:00")).toBe("midnight");
    expect(at("12:00:00")).toBe("noon");
    expect(at("13:00:00")).toBe("1 p.m.");
    expect(at("13:30:00")).toBe("1:30 p.m.");
    expect(at("00:30:00")).toBe("12:30 a.m.");
  });

  it("spells N in Associated Press style", () => {
    const months = [0, 2, 4, 8, 9].map((month) => render('{{ value | date("N") }}', { value: new Date(Date.UTC(2021, month, 5)) }));
    expect(months).toEqual(["Jan.", "March", "May", "Sept.", "Oct."]);
  });

  it("counts ISO weeks across the year's end (Django 5.2)", () => {
    expect(render('{{ value | date("W o z") }}', { value: utc("2021-01-03T01:00:00") })).toBe("53 2020 3");
    expect(render('{{ value | date("W o") }}', { value: utc("2021-01-04T01:00:00") })).toBe("1 2021");
    expect(render('{{ value | date("W o z t L") }}', { value: utc("2020-12-31T23:59:59") })).toBe("53 2020 366 31 True");
  });

  it("uses DATE_FORMAT without an argument and the named formats by name", () => {
    expect(render("{{ value | date }}", { value })).toBe("Jan. 9, 2008");
    expect(render('{{ value | date("SHORT_DATE_FORMAT") }}', { value })).toBe("01/09/2008");
    expect(render('{{ value | date("DATETIME_FORMAT") }}', { value })).toBe("Jan. 9, 2008, 10:30 a.m.");
  });

  it("shows the time in the kit's time zone, with its offset and daylight saving (Django 5.2, America/Chicago)", () => {
    configureDjangoKit({ timeZone: "America/Chicago" });
    const summer = utc("2021-07-01T17:05:09");
    expect(render('{{ value | date("c O Z I T r") }}', { value: summer })).toBe(
      "2021-07-01T12:05:09-05:00 -0500 -18000 1 CDT Thu, 01 Jul 2021 12:05:09 -0500",
    );
    expect(render('{{ value | date("H:i I O T") }}', { value: utc("2021-01-15T06:00:00") })).toBe("00:00 0 -0600 CST");
  });

  it("accepts timestamps and ISO strings, and renders nothing for what is not a date", () => {
    expect(render('{{ value | date("Y-m-d") }}', { value: Date.UTC(2024, 1, 29) })).toBe("2024-02-29");
    expect(render('{{ value | date("Y-m-d") }}', { value: "2024-02-29T10:00:00Z" })).toBe("2024-02-29");
    for (const bad of [null, "", "not a date", {}]) expect(render('[{{ value | date("Y") }}]', { value: bad })).toBe("[]");
  });
});

describe("timesince and timeuntil", () => {
  it("gives the time since, as in the docs (numbers and units joined by a no-break space)", () => {
    const blog = utc("2006-06-01T00:00:00");
    const comment = utc("2006-06-01T08:00:00");
    expect(render("{{ blog | timesince(comment) }}", { blog, comment })).toBe(`8${NBSP}hours`);
  });

  it("gives the time until, as in the docs", () => {
    const conference = utc("2006-06-29T00:00:00");
    expect(render("{{ conference | timeuntil(today) }}", { conference, today: utc("2006-06-01T00:00:00") })).toBe(`4${NBSP}weeks`);
    expect(render("{{ conference | timeuntil(from) }}", { conference, from: utc("2006-06-22T00:00:00") })).toBe(`1${NBSP}week`);
  });

  it.each([
    ["2021-01-01T00:00:00", "2021-01-01T00:00:30", "0 minutes"],
    ["2021-01-01T00:00:00", "2021-01-01T00:01:00", "1 minute"],
    ["2021-01-01T00:00:00", "2021-01-05T06:00:00", "4 days, 6 hours"],
    ["2021-01-01T00:00:00", "2021-01-20T06:00:00", "2 weeks, 5 days"],
    ["2013-02-10T00:00:00", "2014-03-10T00:00:00", "1 year, 1 month"],
    ["2007-08-10T00:00:00", "2008-09-10T00:00:00", "1 year, 1 month"],
    ["2021-01-31T10:00:00", "2021-03-01T09:00:00", "1 month"],
    ["2021-01-01T00:00:00", "2021-01-01T01:59:59", "1 hour, 59 minutes"],
    ["2021-01-01T00:00:00", "2023-01-14T00:00:00", "2 years"],
    ["2021-01-02T00:00:00", "2021-01-01T00:00:00", "0 minutes"],
  ])("from %s to %s is %j (Django 5.2)", (from, to, expected) => {
    expect(render("{{ a | timesince(b) }}", { a: utc(from), b: utc(to) })).toBe(expected.replace(/(\d) /g, `$1${NBSP}`));
  });

  it("measures until now without an argument, and renders nothing for what is not a date", () => {
    expect(render("{{ value | timesince }}", { value: new Date(Date.now() - 3 * 86_400_000 - 60_000) })).toBe(`3${NBSP}days`);
    expect(render("[{{ value | timesince }}]", { value: null })).toBe("[]");
  });
});

describe("pluralize", () => {
  it("adds the suffix unless the value is 1, as in the docs", () => {
    const messages = (n: unknown): string => render("You have {{ n }} message{{ n | pluralize }}.", { n });
    expect(messages(1)).toBe("You have 1 message.");
    expect(messages(2)).toBe("You have 2 messages.");
    expect(render('walrus{{ n | pluralize("es") }}', { n: 2 })).toBe("walruses");
    expect(render('walrus{{ n | pluralize("es") }}', { n: 1 })).toBe("walrus");
    expect(render('cherr{{ n | pluralize("y,ies") }}', { n: 1 })).toBe("cherry");
    expect(render('cherr{{ n | pluralize("y,ies") }}', { n: 3 })).toBe("cherries");
  });

  it("reads numeric strings and lists of one as 1, and gives nothing for what it cannot count (Django 5.2)", () => {
    const suffix = (n: unknown, arg = "s"): string => render("[{{ n | pluralize(arg) }}]", { n, arg });
    expect([suffix("1"), suffix("1.0"), suffix(["a"]), suffix(0), suffix(1.5), suffix(["a", "b"])]).toEqual(["[]", "[]", "[]", "[s]", "[s]", "[s]"]);
    expect([suffix("abc"), suffix(null), suffix(3, "y,ies,z")]).toEqual(["[]", "[]", "[]"]);
  });
});

describe("truncatechars and truncatewords", () => {
  it('cuts to N characters ending in "…", as in the docs', () => {
    expect(render("{{ v | truncatechars(7) }}", { v: "Joel is a slug" })).toBe("Joel i…");
  });

  it("leaves short text alone and counts combining marks as part of their letter (Django 5.2)", () => {
    const cut = (v: string, n: unknown): string => render("{{ v | truncatechars(n) }}", { v, n });
    expect(cut("Joel is a slug", 14)).toBe("Joel is a slug");
    expect(cut("Joel is a slug", 13)).toBe("Joel is a sl…");
    expect(cut("Joel", 1)).toBe("…");
    expect(cut("Joel", 0)).toBe("");
    expect(cut("Joel", "x")).toBe("Joel");
    expect(cut("a\u0300a\u0300a\u0300a\u0300", 3)).toBe("àà…");
    expect(cut("ou\u0308ou\u0308ou\u0308", 3)).toBe("oü…");
    expect(cut("😀😀😀😀", 3)).toBe("😀😀…");
  });

  it('keeps the first N words and adds " …", as in the docs', () => {
    expect(render("{{ v | truncatewords(2) }}", { v: "Joel is a slug" })).toBe("Joel is …");
    expect(render("{{ v | truncatewords(10) }}", { v: "  Joel \n is   a slug " })).toBe("Joel is a slug");
    expect(render("[{{ v | truncatewords(0) }}]", { v: "Joel is a slug" })).toBe("[]");
  });

  it("escapes the text it cut, as any output", () => {
    expect(render("{{ v | truncatechars(4) }}", { v: "<b>bold</b>" })).toBe("&lt;b&gt;…");
  });
});

describe("linebreaksbr", () => {
  it("turns newlines into <br>, as in the docs", () => {
    expect(render("{{ v | linebreaksbr }}", { v: "Joel\nis a slug" })).toBe("Joel<br>is a slug");
  });

  it("escapes the text first, and reads \\r\\n and \\r as newlines", () => {
    expect(render("{{ v | linebreaksbr }}", { v: "<b>\r\n&\rx" })).toBe("&lt;b&gt;<br>&amp;<br>x");
  });

  it("does not escape text already marked safe", () => {
    expect(render("{{ v | safe | linebreaksbr }}", { v: "<b>a</b>\nb" })).toBe("<b>a</b><br>b");
  });
});

describe("yesno", () => {
  it("maps true, false and null as in the docs", () => {
    const yesno = (value: unknown, arg?: string): string =>
      arg === undefined ? render("{{ value | yesno }}", { value }) : render("{{ value | yesno(arg) }}", { value, arg });
    expect(yesno(true)).toBe("yes");
    expect(yesno(true, "yeah,no,maybe")).toBe("yeah");
    expect(yesno(false, "yeah,no,maybe")).toBe("no");
    expect(yesno(null, "yeah,no,maybe")).toBe("maybe");
    expect(yesno(null, "yeah,no")).toBe("no");
    expect(yesno([], "y,n")).toBe("n");
  });
});

describe("floatformat", () => {
  it.each([
    [34.23234, undefined, "34.2"],
    [34.0, undefined, "34"],
    [34.26, undefined, "34.3"],
    [34.23234, 3, "34.232"],
    [34.0, 3, "34.000"],
    [34.26, 3, "34.260"],
    [34.23234, "0", "34"],
    [34.0, "0", "34"],
    [39.56, "0", "40"],
    [34.23234, "-3", "34.232"],
    [34.0, "-3", "34"],
    [34.26, "-3", "34.260"],
    [34232.34, "2g", "34,232.34"],
    [34232.06, "g", "34,232.1"],
    [34232.0, "-3g", "34,232"],
    [34.23234, "3u", "34.232"],
  ])("formats %p with %p as %j, as in the docs", (value, arg, expected) => {
    const source = arg === undefined ? "{{ value | floatformat }}" : "{{ value | floatformat(arg) }}";
    expect(render(source, { value, arg })).toBe(expected);
  });

  it.each([
    [1.005, 2, "1.01"],
    [0.125, 2, "0.13"],
    [-1.5, 0, "-2"],
    [2.5, 0, "3"],
    [-0.01, 1, "0.0"],
    ["1.42", undefined, "1.4"],
    [1e-7, 2, "0.00"],
    [123456789.123, "-2g", "123,456,789.12"],
    [13.1031, "bar", "13.1031"],
    ["abc", undefined, ""],
    [null, undefined, ""],
  ])("rounds half away from zero on the decimal value: %p with %p is %j (Django 5.2)", (value, arg, expected) => {
    const source = arg === undefined ? "[{{ value | floatformat }}]" : "[{{ value | floatformat(arg) }}]";
    expect(render(source, { value, arg })).toBe(`[${expected}]`);
  });

  it("uses the kit's locale unless the argument ends in u", () => {
    configureDjangoKit({ timeZone: "UTC", locale: "pl-PL" });
    expect(render('{{ 34.23234 | floatformat("3") }}')).toBe("34,232");
    expect(render('{{ 34.23234 | floatformat("3u") }}')).toBe("34.232");
  });
});

describe("intcomma", () => {
  it.each([
    [4500, "4,500"],
    [4500.2, "4,500.2"],
    [45000, "45,000"],
    [450000, "450,000"],
    [4500000, "4,500,000"],
  ])("writes %p as %j, as in the docs", (value, expected) => {
    expect(render("{{ value | intcomma }}", { value })).toBe(expected);
  });

  it.each([
    [100, "100"],
    [-1234567, "-1,234,567"],
    ["1234567", "1,234,567"],
    ["1234567.1234567", "1,234,567.1234567"],
    [-12345.678, "-12,345.678"],
    ["abc", "abc"],
  ])("writes %p as %j (Django 5.2)", (value, expected) => {
    expect(render("{{ value | intcomma }}", { value })).toBe(expected);
  });
});

describe("slugify", () => {
  it("slugifies as in the docs", () => {
    expect(render("{{ v | slugify }}", { v: "Joel is a slug" })).toBe("joel-is-a-slug");
  });

  it("drops accents and every non-ASCII letter, and trims dashes and underscores (Django 5.2)", () => {
    const slug = (v: string): string => render("{{ v | slugify }}", { v });
    expect(slug(" Jack & Jill like numbers 1,2,3 and 4 and silly characters ?%.$!/")).toBe("jack-jill-like-numbers-123-and-4-and-silly-characters");
    expect(slug("Un éléphant à l'orée du bois")).toBe("un-elephant-a-loree-du-bois");
    expect(slug("你好 world")).toBe("world");
    expect(slug("ﬁne Straße")).toBe("fine-strae");
    expect(slug("__-foo-bar-__")).toBe("foo-bar");
    expect(slug("  -- a__b  c -- ")).toBe("a__b-c");
  });
});

describe("json_script", () => {
  it("writes the script element of the docs", () => {
    expect(render('{{ value | json_script("hello-data") }}', { value: { hello: "world" } })).toBe(
      '<script id="hello-data" type="application/json">{"hello": "world"}</script>',
    );
  });

  it("escapes <, > and & so the data cannot close the script, as in the docs", () => {
    expect(render('{{ value | json_script("hello-data") }}', { value: { hello: "world</script>&amp;" } })).toBe(
      '<script id="hello-data" type="application/json">{"hello": "world\\u003C/script\\u003E\\u0026amp;"}</script>',
    );
  });

  it("writes non-ASCII as \\u escapes and leaves out the id when there is none (Django 5.2)", () => {
    expect(render("{{ value | json_script }}", { value: [1, "é", null, true] })).toBe(
      '<script type="application/json">[1, "\\u00e9", null, true]</script>',
    );
  });

  it("escapes the id as an attribute", () => {
    expect(render('{{ 1 | json_script(id) }}', { id: '"><script>' })).toBe(
      '<script id="&quot;&gt;&lt;script&gt;" type="application/json">1</script>',
    );
  });

  it("gives back the data through JSON.parse, a </script> in it included", () => {
    const value = { text: "</script><script>alert(1)</script><!--", n: [1.5, -2], nested: { ok: true } };
    const html = render('{{ value | json_script("d") }}', { value });
    const json = /<script id="d" type="application\/json">(.*)<\/script>$/.exec(html)?.[1] ?? "";
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe("the same filters as Handlebars helpers", () => {
  const hb = (source: string, context: Record<string, unknown> = {}): string => hbs.handlebars.compile(source)(context);

  it("gives the same outputs", () => {
    const value = utc("2008-01-09T10:30:05");
    expect(hb('{{default v "nothing"}} {{default_if_none n "none"}}', { v: "", n: null })).toBe("nothing none");
    expect(hb('{{date value "D d M Y"}} {{date value}}', { value })).toBe("Wed 09 Jan 2008 Jan. 9, 2008");
    expect(hb('cherr{{pluralize n "y,ies"}} {{truncatechars t 7}} {{truncatewords t 2}}', { n: 2, t: "Joel is a slug" })).toBe(
      "cherries Joel i… Joel is …",
    );
    expect(hb('{{yesno v "yeah,no,maybe"}} {{floatformat 34.26 "-3"}} {{intcomma 4500000}} {{slugify t}}', { v: null, t: "Joel is a slug" })).toBe(
      "maybe 34.260 4,500,000 joel-is-a-slug",
    );
    expect(hb("{{timesince a b}}", { a: utc("2006-06-01T00:00:00"), b: utc("2006-06-01T08:00:00") })).toBe(`8${NBSP}hours`);
  });

  it("escapes linebreaksbr's text and keeps json_script's markup", () => {
    expect(hb("{{linebreaksbr t}}", { t: "<b>\nx" })).toBe("&lt;b&gt;<br>x");
    expect(hb('{{json_script v "d"}}', { v: { a: "</script>" } })).toBe('<script id="d" type="application/json">{"a": "\\u003C/script\\u003E"}</script>');
  });

  it("keeps rendering a context field that has a filter's name, used without arguments", () => {
    expect(hb("{{date}} {{default}} {{#date}}[{{this}}]{{/date}} {{#slugify}}x{{else}}none{{/slugify}}", { date: "May 5", default: "d", slugify: false })).toBe(
      "May 5 d [May 5] none",
    );
  });
});
