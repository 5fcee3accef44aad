import { ApiError } from "@/api/client";

import { assembleLineage, sourceModelId, sourceRunId, type LineageReads } from "./lineage";
import type { ModelVersion, Run } from "./types";

const RUN: Run = {
  info: { run_id: "r1", run_name: "train", experiment_id: "7", status: "FINISHED", user_id: "alice", start_time: 10 },
  data: {
    params: [
      { key: "lr", value: "0.1" },
      { key: "depth", value: "4" },
    ],
    metrics: [{ key: "rmse", value: 0.3, timestamp: 1, step: 5 }],
    tags: [
      { key: "mlflow.source.git.commit", value: "abc123" },
      { key: "mlflow.source.name", value: "train.py" },
    ],
  },
  inputs: {
    dataset_inputs: [
      {
        tags: [{ key: "mlflow.data.context", value: "training" }],
        dataset: { name: "wine", digest: "d1g3st", source_type: "local", source: "/data/wine.csv" },
      },
    ],
  },
};

const notFound = () => Promise.reject(new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "gone"));

function reads(overrides: Partial<LineageReads> = {}): LineageReads {
  return {
    getRun: vi.fn(async (id: string) => (id === "r1" ? RUN : notFound())),
    getExperiment: vi.fn(async () => ({ experiment_id: "7", name: "wine-quality" })),
    getLoggedModel: vi.fn(async (id: string) => ({ info: { model_id: id, source_run_id: "r1" } })),
    ...overrides,
  };
}

const version = (v: Partial<ModelVersion>): ModelVersion => ({ name: "m", version: "1", ...v });

describe("assembleLineage", () => {
  it("gathers run, experiment, code, params, metrics and datasets from the version's run", async () => {
    const lineage = await assembleLineage(version({ run_id: "r1", source: "s3://b/m" }), reads());
    expect(lineage.run).toMatchObject({
      runId: "r1",
      runName: "train",
      experimentId: "7",
      experimentName: "wine-quality",
      gitCommit: "abc123",
      sourceName: "train.py",
      userId: "alice",
    });
    expect(lineage.params.map((p) => p.key)).toEqual(["depth", "lr"]);
    expect(lineage.metrics).toEqual([{ key: "rmse", value: 0.3 }]);
    expect(lineage.datasets).toEqual([
      { name: "wine", digest: "d1g3st", sourceType: "local", source: "/data/wine.csv", context: "training" },
    ]);
    expect(lineage.modelId).toBeNull();
  });

  it("follows a logged model to its source run", async () => {
    const r = reads();
    const lineage = await assembleLineage(version({ source: "models:/m-abc" }), r);
    expect(lineage.modelId).toBe("m-abc");
    expect(r.getLoggedModel).toHaveBeenCalledWith("m-abc");
    expect(lineage.run?.runId).toBe("r1");
  });

  it("reads the run of a runs:/ source", async () => {
    const lineage = await assembleLineage(version({ source: "runs:/r1/model" }), reads());
    expect(lineage.run?.runId).toBe("r1");
  });

  it("ends the lineage at a missing link instead of failing", async () => {
    const none = await assembleLineage(version({ source: "s3://b/m" }), reads());
    expect(none).toEqual({ modelId: null, run: null, params: [], metrics: [], datasets: [] });
    const gone = await assembleLineage(version({ run_id: "deleted" }), reads());
    expect(gone.run).toBeNull();
    const noExperiment = await assembleLineage(version({ run_id: "r1" }), reads({ getExperiment: notFound }));
    expect(noExperiment.run?.experimentName).toBeNull();
  });

  it("lets server failures through", async () => {
    const broken = reads({ getRun: () => Promise.reject(new ApiError(500, "INTERNAL_ERROR", "boom")) });
    await expect(assembleLineage(version({ run_id: "r1" }), broken)).rejects.toThrow("boom");
  });

  it("parses source URIs", () => {
    expect(sourceModelId("models:/m-1")).toBe("m-1");
    expect(sourceModelId("models:/churn/3")).toBeNull();
    expect(sourceModelId("models:/churn@champion")).toBeNull();
    expect(sourceRunId("runs:/abc/model")).toBe("abc");
    expect(sourceRunId("s3://x")).toBeNull();
  });
});
