import { compareHref, parseCompareState, writeCompareState } from "./urlState";

describe("compare URL state", () => {
  it("reads runs, the differences toggle and the plot settings", () => {
    const state = parseCompareState(
      new URLSearchParams("runs=a,b,a,&diff=1&color=metric:loss&x=param:lr&y=metric:acc&axes=param:lr,metric:loss&flip=acc"),
    );
    expect(state).toEqual({
      runIds: ["a", "b"],
      onlyDiff: true,
      color: "metric:loss",
      x: "param:lr",
      y: "metric:acc",
      axes: ["param:lr", "metric:loss"],
      flip: ["acc"],
    });
  });

  it("defaults everything but the runs", () => {
    expect(parseCompareState(new URLSearchParams(""))).toEqual({
      runIds: [],
      onlyDiff: false,
      color: undefined,
      x: undefined,
      y: undefined,
      axes: [],
      flip: [],
    });
  });

  it("round-trips through the URL", () => {
    const state = {
      runIds: ["r1", "r2"],
      onlyDiff: true,
      color: "metric:val loss",
      x: "param:lr",
      y: undefined,
      axes: ["param:lr"],
      flip: [],
    };
    expect(parseCompareState(writeCompareState(state))).toEqual(state);
  });

  it("leaves defaults out of links", () => {
    expect(compareHref(["a", "b"])).toBe("/compare?runs=a%2Cb");
  });
});
