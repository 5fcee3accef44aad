/**
 * The route table. Routing lives in the URL hash (`#/experiments/1?filter=...`), so any view,
 * with its filters, selection and chart settings, is a link that opens the same view, and the
 * server needs no fallback route (works under --static-prefix unchanged). Pages load lazily:
 * the chart library is only fetched by pages that draw charts.
 */
import { Center, Loader } from "@mantine/core";
import { lazy, Suspense, type ReactNode } from "react";
import { createHashRouter, Navigate } from "react-router";

import { Layout } from "./Layout";
import { RouteError } from "./RouteError";

const ExperimentsPage = lazy(() => import("@/pages/experiments/ExperimentsPage"));
const RunsPage = lazy(() => import("@/pages/runs/RunsPage"));
const RunPage = lazy(() => import("@/pages/run/RunPage"));
const ComparePage = lazy(() => import("@/pages/compare/ComparePage"));
const ModelsPage = lazy(() => import("@/pages/registry/ModelsPage"));
const ModelPage = lazy(() => import("@/pages/registry/ModelPage"));
const VersionPage = lazy(() => import("@/pages/registry/VersionPage"));

function page(element: ReactNode) {
  return (
    <Suspense
      fallback={
        <Center h={200}>
          <Loader />
        </Center>
      }
    >
      {element}
    </Suspense>
  );
}

export const router = createHashRouter([
  {
    path: "/",
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/experiments" replace /> },
      { path: "experiments", element: page(<ExperimentsPage />) },
      { path: "experiments/:experimentIds", element: page(<RunsPage />) },
      { path: "runs/:runId", element: page(<RunPage />) },
      { path: "compare", element: page(<ComparePage />) },
      { path: "models", element: page(<ModelsPage />) },
      { path: "models/:name", element: page(<ModelPage />) },
      { path: "models/:name/versions/:version", element: page(<VersionPage />) },
    ],
  },
]);
