import { MantineProvider } from "@mantine/core";
import { render, screen } from "@testing-library/react";

import { Markdown } from "./Markdown";

const renderMd = (text?: string) =>
  render(
    <MantineProvider>
      <Markdown text={text} />
    </MantineProvider>,
  );

describe("Markdown", () => {
  it("renders markdown", () => {
    renderMd("**bold** and [a link](https://example.com)");
    expect(screen.getByText("bold").tagName).toBe("STRONG");
    expect(screen.getByRole("link", { name: "a link" })).toHaveAttribute("href", "https://example.com");
  });

  it("shows raw HTML as text, never as elements", () => {
    const { container } = renderMd("before <img src=x onerror=alert(1)> after");
    expect(container.querySelector("img")).toBeNull();
    expect(container.textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("drops javascript: links", () => {
    const { container } = renderMd("[x](javascript:alert(1))");
    expect(container.querySelector("a")?.getAttribute("href") ?? "").not.toContain("javascript");
  });

  it("says when there is nothing", () => {
    renderMd("  ");
    expect(screen.getByText("No description.")).toBeInTheDocument();
  });
});
