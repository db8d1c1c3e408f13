package dev.sett.tools;

import dev.sett.api.Store;
import dev.sett.api.SyncMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sett delete DIR KEY}: removes one key. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    header = "Removes a key (writes).",
    description = {
        "Removes KEY from the store in DIR. A key that is absent is not an error: the command says so,"
            + " writes nothing, and exits with 0.",
        "Opens the store for writing, which fails while any other program has it open. The delete is"
            + " on disk when the command ends, because closing the store syncs it; --sync also forces"
            + " it to disk before it completes (SyncMode.ALWAYS)."})
final class DeleteCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The store directory; it must exist.")
  Path dir;

  @Parameters(index = "1", paramLabel = "KEY", description = "The key, in --key-format (put -- before"
      + " a key that starts with '-').")
  String key;

  @Option(names = "--sync", description = "Force the delete to disk before it completes"
      + " (SyncMode.ALWAYS).")
  boolean sync;

  @Mixin
  SharedOptions.KeyFormat keyFormat;

  @Override
  public Integer call() {
    byte[] k = keyFormat.parse(key, "KEY");
    Path abs = dir.toAbsolutePath().normalize();
    boolean present;
    try (Store store = StoreAccess.openWritable(abs, sync ? SyncMode.ALWAYS : SyncMode.NONE)) {
      // Only this handle can write (the store's lock), so the key cannot change in between.
      present = store.contains(k);
      if (present) {
        store.delete(k);
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(present
        ? "Deleted key " + Encoding.describe(k) + " from " + abs + (sync ? " (synced)" : "")
        : "Key " + Encoding.describe(k) + " was not in " + abs + "; nothing to delete");
    out.flush();
    return SettCli.EXIT_OK;
  }
}
