import { fireEvent, screen, waitFor } from "@testing-library/react";

import * as api from "./api";
import { NOTE_TAG, RunDescription } from "./RunDescription";
import { renderWithProviders } from "./testing";

vi.mock("./api", () => ({ setRunTag: vi.fn(async () => {}), deleteRunTag: vi.fn(async () => {}) }));

describe("RunDescription", () => {
  beforeEach(() => vi.clearAllMocks());

  it("renders markdown and drops raw HTML", async () => {
    const { container } = renderWithProviders(
      <RunDescription
        runId="r1"
        note={"# Title\n\n**bold** <script>window.x=1</script><img src=x onerror=alert(1)>"}
      />,
    );
    expect(await screen.findByRole("heading", { name: "Title" })).toBeInTheDocument();
    expect(screen.getByText("bold").tagName).toBe("STRONG");
    expect(container.querySelector("script, img")).toBeNull();
  });

  it("saves an edit as the note tag", async () => {
    renderWithProviders(<RunDescription runId="r1" note="old" />);
    fireEvent.click(screen.getByRole("button", { name: "Edit description" }));
    fireEvent.change(screen.getByLabelText("Description (markdown)"), {
      target: { value: "new *note*" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(api.setRunTag).toHaveBeenCalledWith("r1", NOTE_TAG, "new *note*"));
  });

  it("deletes the tag when the description is emptied", async () => {
    renderWithProviders(<RunDescription runId="r1" note="old" />);
    fireEvent.click(screen.getByRole("button", { name: "Edit description" }));
    fireEvent.change(screen.getByLabelText("Description (markdown)"), { target: { value: "  " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(api.deleteRunTag).toHaveBeenCalledWith("r1", NOTE_TAG));
    expect(api.setRunTag).not.toHaveBeenCalled();
  });

  it("says when there is no description", () => {
    renderWithProviders(<RunDescription runId="r1" note={undefined} />);
    expect(screen.getByText("No description.")).toBeInTheDocument();
  });
});
