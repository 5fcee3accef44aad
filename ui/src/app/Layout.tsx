import {
  ActionIcon,
  AppShell,
  Group,
  Text,
  useComputedColorScheme,
  useMantineColorScheme,
} from "@mantine/core";
import { NavLink, Outlet } from "react-router";

import classes from "./Layout.module.css";

function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme("light");
  const next = computed === "dark" ? "light" : "dark";
  return (
    <ActionIcon
      variant="default"
      aria-label={`Switch to ${next} mode`}
      onClick={() => setColorScheme(next)}
    >
      {computed === "dark" ? "☀" : "☾"}
    </ActionIcon>
  );
}

export function Layout() {
  return (
    <AppShell header={{ height: 48 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="lg">
            <Text fw={700} size="lg">
              cairn
            </Text>
            <NavLink to="/experiments" className={classes.link}>
              Experiments
            </NavLink>
            <NavLink to="/models" className={classes.link}>
              Models
            </NavLink>
          </Group>
          <ColorSchemeToggle />
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
