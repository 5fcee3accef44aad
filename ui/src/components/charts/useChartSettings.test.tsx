import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, useLocation } from "react-router";

import { useChartSettings } from "./settings";

function setup(url: string) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[url]}>{children}</MemoryRouter>
  );
  return renderHook(() => ({ chart: useChartSettings(), location: useLocation() }), { wrapper });
}

describe("useChartSettings", () => {
  it("reads the URL and writes changes back, keeping other parameters", () => {
    const { result } = setup("/runs/r1?tab=metrics&chart_log=1");
    expect(result.current.chart[0].log).toBe(true);

    act(() => result.current.chart[1]({ smooth: "ema", log: false }));
    const params = new URLSearchParams(result.current.location.search);
    expect(params.get("tab")).toBe("metrics");
    expect(params.get("chart_smooth")).toBe("ema");
    expect(params.has("chart_log")).toBe(false);
    expect(result.current.chart[0].smooth).toBe("ema");
  });

  it("keeps the same settings object when other parameters change", () => {
    const { result } = setup("/x?chart_x=time");
    const before = result.current.chart[0];
    act(() => result.current.chart[1]({ x: "time" }));
    expect(result.current.chart[0]).toBe(before);
  });
});
