import { dimensions, toCompareRun } from "./compareData";
import { parallelOption, scatterOption } from "./plotOptions";

const runs = [
  { id: "a", lr: "0.1", opt: "adam", loss: 0.5 },
  { id: "b", lr: "0.01", opt: "sgd", loss: 0.2 },
  { id: "c", lr: "0.001", opt: "adam" },
].map(({ id, lr, opt, loss }) =>
  toCompareRun({
    info: { run_id: id, run_name: `<b>${id}</b>`, experiment_id: "1" },
    data: {
      params: [
        { key: "lr", value: lr },
        { key: "opt", value: opt },
      ],
      metrics: loss === undefined ? [] : [{ key: "loss", value: loss }],
    },
  }),
);
const dims = dimensions(runs);
const dim = (id: string) => dims.find((d) => d.id === id)!;

type Option = Record<string, any>;

describe("parallelOption", () => {
  it("makes one axis per dimension, categories for text params, colored by a metric", () => {
    const axes = [dim("param:lr"), dim("param:opt"), dim("metric:loss")];
    const option = parallelOption(runs, axes, dim("metric:loss")) as Option;
    expect(option.parallelAxis.map((a: Option) => a.type)).toEqual(["value", "category", "value"]);
    expect(option.parallelAxis[1].data).toEqual(["adam", "sgd"]);
    expect(option.visualMap).toMatchObject({ dimension: 2, min: 0.2, max: 0.5 });
    expect(option.series[0].data[2]).toEqual({ name: "<b>c</b>", value: [0.001, "adam", "-"] });
    expect(option.tooltip.renderMode).toBe("richText");
  });

  it("has no color scale without a color metric", () => {
    const option = parallelOption(runs, [dim("param:lr"), dim("param:opt")]) as Option;
    expect(option.visualMap).toBeUndefined();
  });
});

describe("scatterOption", () => {
  it("plots the runs that have both values", () => {
    const option = scatterOption(runs, dim("param:opt"), dim("metric:loss")) as Option;
    expect(option.xAxis).toMatchObject({ type: "category", data: ["adam", "sgd"] });
    expect(option.series[0].data).toEqual([
      { name: "<b>a</b>", value: ["adam", 0.5] },
      { name: "<b>b</b>", value: ["sgd", 0.2] },
    ]);
    expect(option.tooltip.formatter({ name: "n", value: ["adam", 0.5] })).toBe("n\nopt: adam\nloss: 0.5");
  });
});
