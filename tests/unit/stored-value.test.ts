import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { SANDBOX_MANAGED_KEY, watchEffectiveSettings } from '@/core/settings/effective-settings';
import { DEFAULT_SETTINGS, saveSettings } from '@/core/settings/settings';
import { defineStoredValue } from '@/utils/stored-value';

// One stored value: what a reader gets from damaged or missing storage, that concurrent updates
// each land, and that a watcher hears a change. Checked against the fake browser's real storage.

const Counts = z.record(z.string(), z.number().int());

function counts() {
  return defineStoredValue({ key: 'local:counts:v1', schema: Counts, fallback: {} });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('get', () => {
  it('answers what is stored, under the plain key (no version meta beside it)', async () => {
    await fakeBrowser.storage.local.set({ 'counts:v1': { messenger: 2 } });
    expect(await counts().get()).toEqual({ messenger: 2 });
    await counts().set({ messenger: 3 });
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ 'counts:v1': { messenger: 3 } });
  });

  it('answers the fallback, silently, when nothing is stored', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(await counts().get()).toEqual({});
    expect(warn).not.toHaveBeenCalled();
  });

  it('answers the fallback for damaged data and logs why, once, naming the key and the field', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await fakeBrowser.storage.local.set({ 'counts:v1': { messenger: 'two' } });
    const value = counts();
    expect(await value.get()).toEqual({});
    expect(await value.get()).toEqual({});
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /stored local:counts:v1 does not fit its schema at messenger \(.+\); using the default/,
    );
    // The damaged data is left as it was until a write replaces it: reading never destroys anything.
    expect((await fakeBrowser.storage.local.get('counts:v1'))['counts:v1']).toEqual({ messenger: 'two' });
  });

  it('gives each caller its own copy of the fallback', async () => {
    const value = defineStoredValue({ key: 'session:ids', schema: z.array(z.string()), fallback: [] as string[] });
    (await value.get()).push('changed by a caller');
    expect(await value.get()).toEqual([]);
  });
});

describe('update', () => {
  it('runs concurrent updates one after another, so every one of them lands', async () => {
    const value = counts();
    const bumps = Array.from({ length: 20 }, (_, i) =>
      value.update(async (current) => {
        // A pause between read and write: without the queue the updates would overwrite each other.
        await new Promise((resolve) => setTimeout(resolve, 0));
        return { ...current, [`c${i % 4}`]: (current[`c${i % 4}`] ?? 0) + 1 };
      }),
    );
    await Promise.all(bumps);
    expect(await value.get()).toEqual({ c0: 5, c1: 5, c2: 5, c3: 5 });
  });

  it('goes on after a failed update, which writes nothing', async () => {
    const value = counts();
    await value.set({ kept: 1 });
    const failed = value.update(() => {
      throw new Error('refused');
    });
    const next = value.update((current) => ({ ...current, after: 1 }));
    await expect(failed).rejects.toThrow('refused');
    expect(await next).toEqual({ kept: 1, after: 1 });
    expect(await value.get()).toEqual({ kept: 1, after: 1 });
  });

  it('writes nothing when the change gives back the value it got', async () => {
    const value = counts();
    await value.set({ kept: 1 });
    const heard = vi.fn();
    fakeBrowser.storage.onChanged.addListener(heard);
    expect(await value.update((current) => current)).toEqual({ kept: 1 });
    expect(heard).not.toHaveBeenCalled();
  });

  it('replaces damaged data with the update built on the fallback', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await fakeBrowser.storage.local.set({ 'counts:v1': 'not an object' });
    await counts().update((current) => ({ ...current, messenger: 1 }));
    expect((await fakeBrowser.storage.local.get('counts:v1'))['counts:v1']).toEqual({ messenger: 1 });
  });

  it('remove leaves the fallback behind', async () => {
    const value = counts();
    await value.set({ messenger: 1 });
    await value.remove();
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(await value.get()).toEqual({});
  });
});

describe('watch', () => {
  it('hears a change made by another writer, read through the schema', async () => {
    const value = counts();
    const heard: unknown[] = [];
    const unwatch = value.watch((next, previous) => heard.push([next, previous]));
    await fakeBrowser.storage.local.set({ 'counts:v1': { messenger: 1 } });
    await counts().update((current) => ({ ...current, instagram: 2 }));
    // Damaged data reaches the watcher as the fallback, never as the raw value.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await fakeBrowser.storage.local.set({ 'counts:v1': { messenger: -0.5 } });
    unwatch();
    await fakeBrowser.storage.local.set({ 'counts:v1': { messenger: 9 } });
    expect(heard).toEqual([
      [{ messenger: 1 }, {}],
      [{ messenger: 1, instagram: 2 }, { messenger: 1 }],
      [{}, { messenger: 1, instagram: 2 }],
    ]);
  });

  it('hears a write that stores what was there, as a storage.onChanged listener did', async () => {
    const value = counts();
    await value.set({ messenger: 1 });
    const heard = vi.fn();
    value.watch(heard);
    await value.set({ messenger: 1 });
    expect(heard).toHaveBeenCalledWith({ messenger: 1 }, { messenger: 1 });
  });

  it('does not hear other keys or other storage areas', async () => {
    const heard = vi.fn();
    counts().watch(heard);
    await fakeBrowser.storage.local.set({ 'counts:v2': { messenger: 1 } });
    await fakeBrowser.storage.session.set({ 'counts:v1': { messenger: 1 } });
    expect(heard).not.toHaveBeenCalled();
    await fakeBrowser.storage.local.set({ 'counts:v1': { messenger: 1 } });
    expect(heard).toHaveBeenCalledTimes(1);
  });
});

describe('watchEffectiveSettings', () => {
  it('hears the user’s settings and the sandbox’s managed stand-in, once per write, and nothing else', async () => {
    const heard = vi.fn();
    const unwatch = watchEffectiveSettings(heard);
    await saveSettings({ ...DEFAULT_SETTINGS, autoRetry: !DEFAULT_SETTINGS.autoRetry });
    expect(heard).toHaveBeenCalledTimes(1);
    await fakeBrowser.storage.local.set({ [SANDBOX_MANAGED_KEY]: { autoRetry: true } });
    expect(heard).toHaveBeenCalledTimes(2);
    await fakeBrowser.storage.local.set({ 'health:v1': {} });
    await fakeBrowser.storage.session.set({ settings: {} });
    expect(heard).toHaveBeenCalledTimes(2);
    unwatch();
    await saveSettings(DEFAULT_SETTINGS);
    expect(heard).toHaveBeenCalledTimes(2);
  });
});
