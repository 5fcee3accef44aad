import {
  basename,
  formatDuration,
  formatNumber,
  formatRelative,
  formatTimestamp,
  runDuration,
} from "./format";

describe("formatNumber", () => {
  it("keeps integers and rounds to 4 significant digits", () => {
    expect(formatNumber(42)).toBe("42");
    expect(formatNumber(0.123456)).toBe("0.1235");
    expect(formatNumber(-3.14159)).toBe("-3.142");
    expect(formatNumber(0)).toBe("0");
  });
  it("uses exponents for tiny and huge values", () => {
    expect(formatNumber(0.00001234)).toBe("1.234e-5");
    expect(formatNumber(1.5e12)).toBe("1.500e+12");
  });
  it("shows NaN, infinities and missing values", () => {
    expect(formatNumber("NaN")).toBe("NaN");
    expect(formatNumber(Number.NaN)).toBe("NaN");
    expect(formatNumber(1.7976931348623157e308)).toBe("∞");
    expect(formatNumber(-Infinity)).toBe("-∞");
    expect(formatNumber(undefined)).toBe("");
    expect(formatNumber(null)).toBe("");
  });
});

describe("formatDuration", () => {
  it("picks sensible units", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(12_340)).toBe("12.3s");
    expect(formatDuration(245_000)).toBe("4m 05s");
    expect(formatDuration(2 * 3600_000 + 3 * 60_000)).toBe("2h 03m");
    expect(formatDuration(3 * 86400_000 + 4 * 3600_000)).toBe("3d 4h");
  });
  it("is empty for unknown spans", () => {
    expect(formatDuration(null)).toBe("");
    expect(formatDuration(-5)).toBe("");
  });
});

describe("runDuration", () => {
  it("measures finished and running runs", () => {
    expect(runDuration(1000, 4000)).toBe(3000);
    expect(runDuration(1000, undefined, 2500)).toBe(1500);
    expect(runDuration(1000, undefined)).toBeNull();
    expect(runDuration(0, 5)).toBeNull();
  });
});

describe("formatTimestamp", () => {
  it("formats local time and leaves unset times empty", () => {
    const ms = new Date(2024, 0, 2, 3, 4, 5).getTime();
    expect(formatTimestamp(ms)).toBe("2024-01-02 03:04:05");
    expect(formatTimestamp(0)).toBe("");
  });
});

describe("formatRelative", () => {
  it("is coarse", () => {
    const now = 1_000_000_000_000;
    expect(formatRelative(now - 10_000, now)).toBe("just now");
    expect(formatRelative(now - 120_000, now)).toBe("2 minutes ago");
    expect(formatRelative(now - 3 * 86400_000, now)).toBe("3 days ago");
  });
});

describe("basename", () => {
  it("takes the last path segment", () => {
    expect(basename("/home/me/train.py")).toBe("train.py");
    expect(basename("C:\\work\\x.py")).toBe("x.py");
    expect(basename("<console>")).toBe("<console>");
    expect(basename(undefined)).toBe("");
  });
});
