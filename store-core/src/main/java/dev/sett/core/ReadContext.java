package dev.sett.core;

/**
 * Per-thread scratch for reads, so that a lookup allocates nothing: where the record was found, and
 * how deeply this thread's read callbacks are nested (a nested read gets a context of its own).
 * Never shared between threads.
 */
final class ReadContext {
  Segment segment;
  int offset;
  int depth;
}
