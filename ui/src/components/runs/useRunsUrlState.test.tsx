import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter, useLocation } from "react-router";

import { useRunsUrlState } from "./useRunsUrlState";

function setup(initial: string) {
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MemoryRouter initialEntries={[initial]}>{children}</MemoryRouter>
  );
  return renderHook(
    () => {
      const [state, update] = useRunsUrlState();
      return { state, update, location: useLocation() };
    },
    { wrapper },
  );
}

describe("useRunsUrlState", () => {
  it("reads the view from the URL", () => {
    const { result } = setup("/experiments/1?filter=params.a%3D%27x%27&sel=r1&tab=charts");
    expect(result.current.state.filter).toBe("params.a='x'");
    expect(result.current.state.selected).toEqual(["r1"]);
    expect(result.current.state.tab).toBe("charts");
  });

  it("writes changes back, keeping the rest of the URL", () => {
    const { result } = setup("/experiments/1?filter=x");
    act(() =>
      result.current.update({ sort: { column: "metrics.loss", desc: true }, selected: ["a", "b"] }),
    );
    expect(result.current.location.pathname).toBe("/experiments/1");
    expect(result.current.location.search).toBe("?filter=x&sort=metrics.loss&dir=desc&sel=a%2Cb");
    expect(result.current.state.sort).toEqual({ column: "metrics.loss", desc: true });
    act(() => result.current.update({ filter: "" }));
    expect(result.current.state.filter).toBe("");
    expect(result.current.state.selected).toEqual(["a", "b"]);
  });

  it("keeps the same state object while the URL is unchanged", () => {
    const { result, rerender } = setup("/experiments/1?filter=x");
    const before = result.current.state;
    rerender();
    expect(result.current.state).toBe(before);
  });
});
