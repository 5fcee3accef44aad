import { fireEvent, screen, waitFor } from "@testing-library/react";

import * as api from "./api";
import { TagsEditor } from "./TagsEditor";
import { renderWithProviders } from "./testing";

vi.mock("./api", () => ({ setRunTag: vi.fn(async () => {}), deleteRunTag: vi.fn(async () => {}) }));

const TAGS = [
  { key: "team", value: "<b>vision</b>" },
  { key: "mlflow.user", value: "alice" },
  { key: "mlflow.note.content", value: "hidden here" },
];

describe("TagsEditor", () => {
  beforeEach(() => vi.clearAllMocks());

  it("offers edit and delete for user tags only, values as text", () => {
    const { container } = renderWithProviders(<TagsEditor runId="r1" tags={TAGS} />);
    expect(screen.getByRole("button", { name: "Edit tag team" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Edit tag mlflow.user" })).toBeNull();
    expect(screen.getByText("<b>vision</b>")).toBeInTheDocument();
    expect(container.querySelector("b")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Show 1 system tags" }));
    expect(screen.getByText("mlflow.user")).toBeInTheDocument();
    expect(screen.queryByText("hidden here")).toBeNull();
  });

  it("adds, edits and deletes through the API", async () => {
    renderWithProviders(<TagsEditor runId="r1" tags={TAGS} />);
    fireEvent.change(screen.getByLabelText("New tag key"), { target: { value: "stage" } });
    fireEvent.change(screen.getByLabelText("New tag value"), { target: { value: "prod" } });
    fireEvent.click(screen.getByRole("button", { name: "Add tag" }));
    await waitFor(() => expect(api.setRunTag).toHaveBeenCalledWith("r1", "stage", "prod"));

    fireEvent.click(screen.getByRole("button", { name: "Edit tag team" }));
    fireEvent.change(screen.getByLabelText("Value of tag team"), { target: { value: "robotics" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(api.setRunTag).toHaveBeenCalledWith("r1", "team", "robotics"));

    fireEvent.click(screen.getByRole("button", { name: "Delete tag team" }));
    await waitFor(() => expect(api.deleteRunTag).toHaveBeenCalledWith("r1", "team"));
  });

  it("refuses system and existing keys", () => {
    renderWithProviders(<TagsEditor runId="r1" tags={TAGS} />);
    const key = screen.getByLabelText("New tag key");
    fireEvent.change(key, { target: { value: "mlflow.source.name" } });
    expect(screen.getByRole("button", { name: "Add tag" })).toBeDisabled();
    fireEvent.change(key, { target: { value: "team" } });
    expect(screen.getByRole("button", { name: "Add tag" })).toBeDisabled();
  });
});
