import { ApiError, unwrap } from "./client";

function answer(status: number): Response {
  return new Response(null, { status });
}

describe("unwrap", () => {
  it("returns the data of a successful answer", () => {
    expect(unwrap({ data: { runs: [] }, response: answer(200) })).toEqual({ runs: [] });
  });

  it("turns an error answer into an ApiError with MLflow's code and message", () => {
    const failing = () =>
      unwrap({
        error: { error_code: "INVALID_PARAMETER_VALUE", message: "bad filter" },
        response: answer(400),
      });
    expect(failing).toThrow(ApiError);
    try {
      failing();
    } catch (error) {
      expect(error).toMatchObject({ status: 400, errorCode: "INVALID_PARAMETER_VALUE" });
      expect((error as Error).message).toBe("bad filter");
    }
  });
});
