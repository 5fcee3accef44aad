import { applySuggestion, completeFilter, type FilterKeys } from "./filterAutocomplete";

const keys: FilterKeys = {
  metrics: ["loss", "val-loss", "accuracy"],
  params: ["lr", "batch_size"],
  tags: ["team", "mlflow.parentRunId"],
};

function labels(text: string, cursor = text.length) {
  return completeFilter(text, cursor, keys)?.options.map((o) => o.label) ?? [];
}

describe("completeFilter", () => {
  it("offers the name prefixes on an empty box", () => {
    expect(labels("")).toEqual(["metrics.", "params.", "tags.", "attributes."]);
  });

  it("offers the keys of a prefix, best matches first", () => {
    expect(labels("metrics.")).toEqual(["loss", "val-loss", "accuracy"]);
    expect(labels("metrics.lo")).toEqual(["loss", "val-loss"]);
    expect(labels("params.b")).toEqual(["batch_size"]);
    expect(labels("attributes.st")).toEqual(["status", "start_time"]);
  });

  it("quotes keys that need it and replaces the typed fragment", () => {
    const text = "metrics.val";
    const completion = completeFilter(text, text.length, keys)!;
    const option = completion.options.find((o) => o.label === "val-loss")!;
    expect(applySuggestion(text, completion, option)).toEqual({
      text: "metrics.`val-loss` ",
      cursor: 19,
    });
  });

  it("matches full names from a bare word", () => {
    expect(labels("acc")).toContain("metrics.accuracy");
    expect(labels("tea")).toContain("tags.team");
  });

  it("offers comparators that fit the type", () => {
    expect(labels("metrics.loss ")).toEqual([">", "<", ">=", "<=", "=", "!="]);
    expect(labels("params.lr ")).toContain("LIKE");
    expect(labels("params.lr IL")).toEqual(["ILIKE"]);
    expect(labels("attributes.run_id ")).toContain("IN");
  });

  it("offers AND/OR after a complete comparison", () => {
    expect(labels("metrics.loss < 0.5 ")).toEqual(["AND", "OR"]);
    expect(labels("params.lr = '0.1' a")).toEqual(["AND"]);
    expect(labels("tags.team IS NOT NULL ")).toEqual(["AND", "OR"]);
    expect(labels("attributes.run_id IN ('a', 'b') ")).toEqual(["AND", "OR"]);
  });

  it("offers names again after AND, OR, NOT and a parenthesis", () => {
    expect(labels("metrics.loss < 0.5 AND par")).toEqual(["params.", "tags.mlflow.parentRunId"]);
    expect(labels("(metrics.loss < 1 OR ")).toContain("metrics.");
    expect(labels("NOT ")).toContain("tags.");
  });

  it("offers status values", () => {
    expect(labels("attributes.status = ")).toContain("RUNNING");
    expect(labels("attributes.status = 'FA")).toEqual(["FAILED"]);
  });

  it("stays quiet where nothing fits", () => {
    expect(labels("metrics.loss < 0.5")).toEqual([]);
    expect(labels("metrics.loss < 0.5 AND AND ")).toEqual([]);
    expect(labels("params.lr = 'x")).toEqual([]);
  });

  it("completes in the middle of the text", () => {
    const text = "metrics.lo < 1";
    const completion = completeFilter(text, 10, keys)!;
    expect(completion.options.map((o) => o.label)).toEqual(["loss", "val-loss"]);
    const applied = applySuggestion(text, completion, completion.options[0]);
    expect(applied.text).toBe("metrics.loss < 1");
    expect(applied.cursor).toBe(13);
  });

  it("completes dotted keys in backticks", () => {
    expect(labels("tags.`mlflow.par")).toEqual(["mlflow.parentRunId"]);
  });
});
