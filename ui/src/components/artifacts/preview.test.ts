import { parseCsv } from "./csv";
import { ancestors } from "./ArtifactBrowser";
import { parseSpec } from "./MlModelSummary";
import { formatBytes, imageType, inertHtml, looksBinary, previewKind } from "./preview";

describe("preview type detection", () => {
  it.each([
    ["notes.txt", "text"],
    ["logs/train.log", "text"],
    ["metrics.json", "json"],
    ["conf/config.YAML", "yaml"],
    ["env.yml", "yaml"],
    ["data/table.csv", "csv"],
    ["data/table.tsv", "csv"],
    ["plots/loss.png", "image"],
    ["a.JPG", "image"],
    ["a.jpeg", "image"],
    ["anim.gif", "image"],
    ["vector.svg", "image"],
    ["model/MLmodel", "mlmodel"],
    ["report.html", "html"],
    ["README.md", "markdown"],
    ["model/model.pkl", "unknown"],
    ["noextension", "unknown"],
    ["MLproject", "yaml"],
  ])("%s is %s", (path, kind) => {
    expect(previewKind(path)).toBe(kind);
  });

  it("gives images their MIME type (an <img> needs it for SVG)", () => {
    expect(imageType("a/b.svg")).toBe("image/svg+xml");
    expect(imageType("b.png")).toBe("image/png");
  });

  it("sniffs binary content by NUL bytes", () => {
    expect(looksBinary(new Uint8Array([104, 105, 0, 1]))).toBe(true);
    expect(looksBinary(new TextEncoder().encode("plain text"))).toBe(false);
  });

  it("formats sizes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
    expect(formatBytes(undefined)).toBe("");
  });

  it("lists the folders above a path", () => {
    expect(ancestors("a/b/c.txt")).toEqual(["a", "a/b"]);
    expect(ancestors("c.txt")).toEqual([]);
  });
});

describe("CSV preview parsing", () => {
  it("parses quotes, doubled quotes, embedded newlines and CRLF", () => {
    const { rows, truncated } = parseCsv('a,b\r\n"x, y","say ""hi"""\n"multi\nline",2\n', 10);
    expect(rows).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["multi\nline", "2"],
    ]);
    expect(truncated).toBe(false);
  });

  it("stops after the first rows", () => {
    const text = Array.from({ length: 100 }, (_, i) => `${i},x`).join("\n");
    const { rows, truncated } = parseCsv(text, 5);
    expect(rows).toHaveLength(5);
    expect(truncated).toBe(true);
  });

  it("reads a last line without a newline and tab separators", () => {
    expect(parseCsv("a\tb\n1\t2", 10, "\t").rows).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });
});

describe("MLmodel signatures", () => {
  it("reads the JSON strings of a signature", () => {
    expect(parseSpec('[{"name": "x", "type": "double"}]')).toEqual([{ name: "x", type: "double" }]);
    expect(parseSpec(null)).toBeNull();
    expect(parseSpec("not json")).toBeNull();
  });
});

describe("HTML for the sandboxed frame", () => {
  it("drops scripts, handlers and javascript: URLs but keeps the content", () => {
    const out = inertHtml(
      '<h1 onclick="x()">Report</h1><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">link</a><meta http-equiv="refresh" content="0;url=http://evil">',
    );
    expect(out).toContain("<h1>Report</h1>");
    expect(out).not.toMatch(/script|onerror|onclick|javascript:|refresh/i);
    expect(out).toContain(">link</a>");
  });

  it("catches handlers without a space before them and keeps text that mentions them", () => {
    const out = inertHtml(
      '<img src="x"onerror=alert(1)><svg/onload=alert(2)><p>use onclick= here</p>',
    );
    expect(out).not.toMatch(/alert/);
    expect(out).toContain("<p>use onclick= here</p>");
  });
});
