/**
 * The public contract of Sett, an embedded key-value store whose reads can be zero-copy views of
 * memory-mapped segment files.
 *
 * <h2>Priorities</h2>
 * In order: (1) never crash the JVM and never return bytes that belong to another key or to a
 * torn write; (2) never lose a write that was acknowledged as durable; (3) read speed, by handing
 * out views of the mapped files instead of copies; (4) write speed.
 *
 * <h2>Lifetimes</h2>
 * <ul>
 *   <li>A {@link dev.sett.api.Store} lives from {@code Sett.open} until {@link dev.sett.api.Store#close()}.
 *       Everything obtained from it stops working when it closes.</li>
 *   <li>A {@link dev.sett.api.Snapshot} pins the segment files it can reach until it is closed. Every
 *       {@link dev.sett.api.ByteView} it returned, and every {@link dev.sett.api.Cursor} it opened,
 *       is valid until then. Using one afterwards throws {@link dev.sett.api.StoreClosedException};
 *       it never crashes the JVM and never shows other bytes. Close snapshots promptly: an open
 *       snapshot keeps old segment files on disk.</li>
 *   <li>A view passed to a {@link dev.sett.api.ValueReader} or {@link dev.sett.api.LongValueReader}
 *       callback is valid only inside that callback, on that thread.</li>
 *   <li>{@code byte[]} arguments are never retained: the store copies what it keeps.
 *       {@code byte[]} results are fresh copies owned by the caller.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * {@link dev.sett.api.Store} is thread-safe: any number of threads may read and write at once;
 * writes are serialised internally and readers never block writers. A {@link dev.sett.api.Snapshot}
 * and its views may be read from several threads, but a {@link dev.sett.api.Cursor},
 * a {@link dev.sett.api.WriteBatch} and a {@link dev.sett.api.StoreOptions.Builder} belong to one
 * thread at a time. No other class gives a concurrency guarantee unless its documentation says so.
 *
 * <h2>Errors</h2>
 * Every exception Sett throws on purpose is an unchecked {@link dev.sett.api.StoreException} or a
 * subclass of it, each of which names the problem and what to do about it. Bad input never damages
 * stored data.
 */
package dev.sett.api;
