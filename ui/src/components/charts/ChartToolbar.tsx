/** The chart settings controls; every change is written to the URL (`chart_*`). */
import {
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Slider,
  Stack,
  Switch,
  Text,
} from "@mantine/core";

import type { ChartSettings, XAxisMode } from "./settings";
import type { SmoothMode } from "./smoothing";
import type { BandMode } from "./groups";

interface ChartToolbarProps {
  settings: ChartSettings;
  onChange: (patch: Partial<ChartSettings>) => void;
  grouped: boolean;
}

export function ChartToolbar({ settings, onChange, grouped }: ChartToolbarProps) {
  return (
    <Group gap="lg" align="flex-end" wrap="wrap">
      <Stack gap={2}>
        <Text size="xs" c="dimmed">
          X axis
        </Text>
        <SegmentedControl
          size="xs"
          aria-label="X axis"
          value={settings.x}
          onChange={(x) => onChange({ x: x as XAxisMode })}
          data={[
            { value: "step", label: "Step" },
            { value: "time", label: "Wall time" },
            { value: "relative", label: "Relative time" },
          ]}
        />
      </Stack>
      <Switch
        size="sm"
        label="Log scale"
        checked={settings.log}
        onChange={(e) => onChange({ log: e.currentTarget.checked })}
      />
      <Select
        size="xs"
        w={170}
        label="Smoothing"
        allowDeselect={false}
        value={settings.smooth}
        onChange={(v) => onChange({ smooth: (v ?? "none") as SmoothMode })}
        data={[
          { value: "none", label: "None" },
          { value: "ema", label: "Exponential (EMA)" },
          { value: "avg", label: "Running average" },
        ]}
      />
      {settings.smooth === "ema" && (
        <Stack gap={2} w={160}>
          <Text size="xs" c="dimmed">
            EMA weight {settings.weight.toFixed(2)}
          </Text>
          <Slider
            size="sm"
            aria-label="EMA weight"
            min={0}
            max={0.99}
            step={0.01}
            value={settings.weight}
            onChangeEnd={(weight) => onChange({ weight })}
            label={(v) => v.toFixed(2)}
          />
        </Stack>
      )}
      {settings.smooth === "avg" && (
        <NumberInput
          size="xs"
          w={120}
          label="Window (points)"
          min={1}
          max={1000}
          value={settings.window}
          onChange={(v) => typeof v === "number" && v >= 1 && onChange({ window: Math.round(v) })}
        />
      )}
      {grouped && (
        <Stack gap={2}>
          <Text size="xs" c="dimmed">
            Group band
          </Text>
          <SegmentedControl
            size="xs"
            aria-label="Group band"
            value={settings.band}
            onChange={(band) => onChange({ band: band as BandMode })}
            data={[
              { value: "minmax", label: "Min/max" },
              { value: "std", label: "Std dev" },
            ]}
          />
        </Stack>
      )}
    </Group>
  );
}
