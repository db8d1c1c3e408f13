/**
 * Sett's API: what users of the store touch ({@code Store}, {@code Snapshot}, {@code ByteView},
 * options, value types and every exception a caller can catch). It has no dependencies; the engine
 * is in module {@code dev.sett.core}.
 */
module dev.sett.api {
  exports dev.sett.api;
}
