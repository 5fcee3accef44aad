/**
 * The filter box: the full search language, with completion of names (metrics., params., ...),
 * comparators and AND/OR at the caret. Enter (with no suggestion highlighted) applies it.
 */
import { ActionIcon, Combobox, Group, Text, TextInput, useCombobox } from "@mantine/core";
import { useEffect, useMemo, useRef, useState } from "react";

import {
  applySuggestion,
  completeFilter,
  type Completion,
  type FilterKeys,
} from "./filterAutocomplete";

interface FilterInputProps {
  value: string;
  onApply: (filter: string) => void;
  keys: FilterKeys;
}

export function FilterInput({ value, onApply, keys }: FilterInputProps) {
  const [text, setText] = useState(value);
  const [caret, setCaret] = useState(value.length);
  const inputRef = useRef<HTMLInputElement>(null);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });

  // The URL is the truth: a link or back button that changes the filter changes the box.
  useEffect(() => setText(value), [value]);

  const completion: Completion | null = useMemo(
    () => completeFilter(text, caret, keys, 40),
    [text, caret, keys],
  );

  const readCaret = () => setCaret(inputRef.current?.selectionStart ?? text.length);

  const pick = (index: number) => {
    if (!completion) return;
    const next = applySuggestion(text, completion, completion.options[index]);
    setText(next.text);
    setCaret(next.cursor);
    requestAnimationFrame(() => {
      inputRef.current?.focus();
      inputRef.current?.setSelectionRange(next.cursor, next.cursor);
    });
    combobox.resetSelectedOption();
  };

  const apply = () => {
    combobox.closeDropdown();
    onApply(text.trim());
  };

  return (
    <Combobox store={combobox} onOptionSubmit={(v) => pick(Number(v))} withinPortal>
      <Combobox.Target>
        <TextInput
          ref={inputRef}
          style={{ flex: 1, minWidth: 320 }}
          ff="monospace"
          placeholder="metrics.loss < 0.5 AND params.optimizer = 'adam'"
          aria-label="Filter runs"
          value={text}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => {
            setText(e.currentTarget.value);
            setCaret(e.currentTarget.selectionStart ?? e.currentTarget.value.length);
            combobox.openDropdown();
            combobox.resetSelectedOption();
          }}
          onClick={() => {
            readCaret();
            combobox.openDropdown();
          }}
          onKeyUp={(e) => {
            if (
              e.key === "ArrowLeft" ||
              e.key === "ArrowRight" ||
              e.key === "Home" ||
              e.key === "End"
            )
              readCaret();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(e) => {
            if (e.key === "Enter" && combobox.getSelectedOptionIndex() === -1) {
              e.preventDefault();
              apply();
            }
            if (e.key === "Tab" && combobox.dropdownOpened && completion) {
              e.preventDefault();
              const index = combobox.getSelectedOptionIndex();
              pick(index >= 0 ? index : 0);
            }
          }}
          rightSection={
            text ? (
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label="Clear filter"
                onClick={() => {
                  setText("");
                  onApply("");
                }}
              >
                ✕
              </ActionIcon>
            ) : null
          }
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!completion}>
        <Combobox.Options mah={300} style={{ overflowY: "auto" }}>
          {completion?.options.map((option, i) => (
            <Combobox.Option value={String(i)} key={`${option.label}:${option.detail ?? ""}`}>
              <Group justify="space-between" wrap="nowrap" gap="md">
                <Text size="sm" ff="monospace">
                  {option.label}
                </Text>
                {option.detail && (
                  <Text size="xs" c="dimmed">
                    {option.detail}
                  </Text>
                )}
              </Group>
            </Combobox.Option>
          ))}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
