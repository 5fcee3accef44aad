import { Alert, Loader, Paper, Text, Timeline } from "@mantine/core";

import { describeEventFor, eventActor } from "./events";
import { formatTime } from "./format";
import { useHistory } from "./hooks";

/**
 * The audit history of a model (every event, versions named) or of one version, newest first,
 * each line saying what changed, who changed it and when.
 */
export function HistoryTimeline({ name, version }: { name: string; version?: string }) {
  const history = useHistory(name, version);
  const events = [...(history.data ?? [])].reverse();
  return (
    <Paper withBorder p="sm" data-testid="history">
      <Text fw={600} size="sm" mb="xs">
        History
      </Text>
      {history.isPending && <Loader size="sm" />}
      {history.isError && (
        <Alert color="red" title="The history could not be loaded">
          {history.error.message}
        </Alert>
      )}
      {history.isSuccess && events.length === 0 && (
        <Text c="dimmed" size="sm">
          No recorded changes.
        </Text>
      )}
      {events.length > 0 && (
        <Timeline bulletSize={12} lineWidth={2} active={events.length}>
          {events.map((event) => (
            <Timeline.Item key={event.event_id} data-testid="history-event">
              <Text size="sm">{describeEventFor(event, version === undefined)}</Text>
              <Text size="xs" c="dimmed">
                {`by ${eventActor(event)}, ${formatTime(event.timestamp)}`}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Paper>
  );
}
