package dev.sett.core;

/**
 * Per-thread scratch for reads, so that a lookup allocates nothing: where the record was found, and
 * the reusable view handed to read callbacks. Never shared between threads.
 */
final class ReadContext {
  Segment segment;
  int offset;
  final CallbackView view = new CallbackView();
  int depth;
}
