import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";

import { RunsTable, type RunsTableProps } from "./RunsTable";
import type { Run } from "./types";

// The typed client keeps the fetch it was created with: replace it before any module loads.
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn();
  globalThis.fetch = mock as unknown as typeof fetch;
  return mock;
});

function wireRun(i: number, extra: Partial<Run["info"]> = {}): Run {
  return {
    inputs: {},
    outputs: {},
    info: {
      run_id: `r${i}`,
      run_uuid: `r${i}`,
      user_id: "",
      artifact_uri: "",
      run_name: `run-${i}`,
      experiment_id: "1",
      status: "FINISHED",
      start_time: 1_700_000_000_000 + i,
      end_time: 1_700_000_060_000 + i,
      lifecycle_stage: "active",
      ...extra,
    },
    data: {
      metrics: [{ key: "loss", value: i / 10, timestamp: 1, step: 0 }],
      params: [{ key: "lr", value: `0.${i}` }],
      tags: [{ key: "mlflow.user", value: "ada" }],
    },
  };
}

type Handler = (path: string, body: Record<string, unknown>) => { status: number; json: unknown };

function mockFetch(handler: Handler) {
  const calls: { path: string; body: Record<string, unknown> }[] = [];
  fetchMock.mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const path = new URL(request.url).pathname;
    const text = await request.text();
    const body = text ? JSON.parse(text) : {};
    calls.push({ path, body });
    const answer = handler(path, body);
    return new Response(JSON.stringify(answer.json), {
      status: answer.status,
      headers: { "Content-Type": "application/json" },
    });
  });
  return calls;
}

function renderTable(overrides: Partial<RunsTableProps> = {}) {
  const props: RunsTableProps = {
    search: { experimentIds: ["1"], filter: "", orderBy: [], view: "ACTIVE_ONLY" },
    dataColumns: ["metrics.loss", "params.lr"],
    pinned: [],
    sort: null,
    onSort: vi.fn(),
    selected: [],
    onSelectedChange: vi.fn(),
    nested: true,
    height: 600,
    ...overrides,
  };
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <RunsTable {...props} />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
  return props;
}

// jsdom lays nothing out: give the scroller a size so the virtualizer shows rows.
const sizes = { clientHeight: 600, clientWidth: 1200, offsetHeight: 600, offsetWidth: 1200 };
const saved = Object.keys(sizes).map(
  (name) => [name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name)] as const,
);
beforeAll(() => {
  for (const [name, value] of Object.entries(sizes))
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
});
afterAll(() => {
  for (const [name, descriptor] of saved)
    if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
});
afterEach(() => fetchMock.mockReset());

describe("RunsTable", () => {
  it("renders a page of runs, names as text, and asks for one page only", async () => {
    const calls = mockFetch((path) =>
      path.endsWith("/runs/groups")
        ? { status: 200, json: { groups: [] } }
        : {
            status: 200,
            json: {
              runs: [wireRun(1), wireRun(2, { run_name: "<img src=x onerror=alert(1)>" })],
            },
          },
    );
    renderTable();
    expect(await screen.findByText("run-1")).toBeInTheDocument();
    expect(screen.getByText("<img src=x onerror=alert(1)>")).toBeInTheDocument();
    expect(document.querySelector("img")).toBeNull();
    expect(screen.getAllByText("ada")).toHaveLength(2);
    expect(
      document.querySelector('[data-run-id=r2] [data-column="metrics.loss"]'),
    ).toHaveTextContent("0.2");
    const searches = calls.filter((c) => c.path.endsWith("/runs/search"));
    expect(searches).toHaveLength(1);
    expect(searches[0].body).toMatchObject({ experiment_ids: ["1"], max_results: 200 });
    expect(screen.getByTestId("runs-count")).toHaveTextContent("2 runs loaded");
  });

  it("sorts by a clicked header and selects a clicked row", async () => {
    mockFetch(() => ({ status: 200, json: { runs: [wireRun(1)] } }));
    const props = renderTable({ nested: false });
    await screen.findByText("run-1");
    fireEvent.click(screen.getByText("loss"));
    expect(props.onSort).toHaveBeenCalledWith("metrics.loss");
    fireEvent.click(screen.getByLabelText("Select run run-1"));
    expect(props.onSelectedChange).toHaveBeenCalledWith(["r1"]);
  });

  it("nests child runs under a parent and fetches them on expand", async () => {
    const calls = mockFetch((path, body) => {
      if (path.endsWith("/runs/groups"))
        return { status: 200, json: { groups: [{ value: "r1", count: 1 }] } };
      if (String(body.filter).includes("= 'r1'"))
        return { status: 200, json: { runs: [wireRun(9, { run_name: "kid" })] } };
      return { status: 200, json: { runs: [wireRun(1)] } };
    });
    renderTable();
    await screen.findByText("run-1");
    const first = calls.find((c) => c.path.endsWith("/runs/search"))!;
    expect(first.body.filter).toBe("tags.`mlflow.parentRunId` IS NULL");
    fireEvent.click(screen.getByLabelText("Expand 1 child runs"));
    expect(await screen.findByText("kid")).toBeInTheDocument();
  });

  it("shows the server's message for a bad filter", async () => {
    mockFetch(() => ({
      status: 400,
      json: { error_code: "INVALID_PARAMETER_VALUE", message: "Invalid filter at position 3" },
    }));
    renderTable({
      search: { experimentIds: ["1"], filter: "x ==", orderBy: [], view: "ACTIVE_ONLY" },
    });
    await waitFor(() =>
      expect(screen.getByTestId("runs-error")).toHaveTextContent("Invalid filter at position 3"),
    );
  });
});
