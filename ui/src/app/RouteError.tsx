import { Alert, Button, Stack } from "@mantine/core";
import { isRouteErrorResponse, Link, useRouteError } from "react-router";

/** What a broken link or a crashed page shows: the reason, as text, and a way back. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : "Something went wrong.";
  return (
    <Stack p="xl" maw={640}>
      <Alert color="red" title="This page could not be shown">
        {message}
      </Alert>
      <Button component={Link} to="/experiments" variant="default" w="fit-content">
        Back to experiments
      </Button>
    </Stack>
  );
}
