import type { Run } from "@/components/registry/types";

import {
  chooseAxes,
  dimensions,
  metricGoal,
  metricRows,
  paramRows,
  parseDimensionId,
  toCompareRun,
  type CompareRun,
} from "./compareData";

function run(id: string, params: Record<string, string>, metrics: Record<string, number | string>): CompareRun {
  const wire: Run = {
    info: { run_id: id, run_name: `run-${id}`, experiment_id: "1" },
    data: {
      params: Object.entries(params).map(([key, value]) => ({ key, value })),
      metrics: Object.entries(metrics).map(([key, value]) => ({ key, value })),
    },
  };
  return toCompareRun(wire);
}

const runs = [
  run("a", { lr: "0.1", optimizer: "adam", layers: "3" }, { loss: 0.5, accuracy: 0.8 }),
  run("b", { lr: "0.01", optimizer: "sgd", layers: "3" }, { loss: 0.2, accuracy: 0.9 }),
  run("c", { lr: "0.001", layers: "3", seed: "1" }, { loss: "NaN", accuracy: 0.7 }),
];

describe("paramRows", () => {
  it("marks rows whose values differ, a missing value counting as different", () => {
    const rows = Object.fromEntries(paramRows(runs).map((r) => [r.key, r]));
    expect(rows.layers!.differs).toBe(false);
    expect(rows.lr!.differs).toBe(true);
    expect(rows.optimizer!.values).toEqual(["adam", "sgd", undefined]);
    expect(rows.optimizer!.differs).toBe(true);
    expect(rows.seed!.differs).toBe(true);
  });

  it("lists every key once, sorted", () => {
    expect(paramRows(runs).map((r) => r.key)).toEqual(["layers", "lr", "optimizer", "seed"]);
  });

  it("finds no difference in a single run", () => {
    expect(paramRows([runs[0]!]).every((r) => !r.differs)).toBe(true);
  });
});

describe("metricRows", () => {
  it("picks the best run by the metric's direction and skips NaN", () => {
    const rows = Object.fromEntries(metricRows(runs).map((r) => [r.key, r]));
    expect(rows.loss!.goal).toBe("min");
    expect(rows.loss!.best).toBe(1);
    expect(rows.accuracy!.goal).toBe("max");
    expect(rows.accuracy!.best).toBe(1);
    expect(Number.isNaN(rows.loss!.values[2])).toBe(true);
  });

  it("flips the direction of a metric on request", () => {
    const rows = metricRows(runs, new Set(["accuracy"]));
    expect(rows.find((r) => r.key === "accuracy")!.best).toBe(2);
    expect(metricGoal("val_error")).toBe("min");
    expect(metricGoal("f1")).toBe("max");
  });

  it("has no best when no run has a finite value", () => {
    const rows = metricRows([run("x", {}, { m: "NaN" })]);
    expect(rows[0]!.best).toBeNull();
  });
});

describe("dimensions", () => {
  it("makes numeric params value axes and the others category axes", () => {
    const dims = Object.fromEntries(dimensions(runs).map((d) => [d.id, d]));
    expect(dims["param:lr"]!.type).toBe("value");
    expect(dims["param:lr"]!.values).toEqual([0.1, 0.01, 0.001]);
    expect(dims["param:optimizer"]!.type).toBe("category");
    expect(dims["param:optimizer"]!.categories).toEqual(["adam", "sgd"]);
    expect(dims["param:optimizer"]!.values).toEqual(["adam", "sgd", null]);
    expect(dims["metric:loss"]!.values).toEqual([0.5, 0.2, null]);
  });

  it("chooses differing params and metrics by default, and keeps the color axis", () => {
    const dims = dimensions(runs);
    const ids = chooseAxes(dims, [], undefined).map((d) => d.id);
    expect(ids).toEqual(["param:lr", "param:optimizer", "param:seed", "metric:accuracy", "metric:loss"]);
    const asked = chooseAxes(dims, ["param:lr", "nope:x"], "metric:loss").map((d) => d.id);
    expect(asked).toEqual(["param:lr", "metric:loss"]);
  });

  it("parses dimension ids whose key holds a colon", () => {
    expect(parseDimensionId("metric:eval:loss")).toEqual({ kind: "metric", key: "eval:loss" });
    expect(parseDimensionId("tag:x")).toBeNull();
    expect(parseDimensionId("param:")).toBeNull();
  });
});
