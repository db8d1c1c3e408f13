package dev.sett.tools;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options that several subcommands share, as picocli mixins: a command declares
 * {@code @Mixin SharedOptions.JsonOutput json;} and gets the option with the same name, description and
 * meaning as every other command. ({@code --verbose} is shared differently: {@link SettCli} declares
 * it once, inherited by every subcommand.)
 */
final class SharedOptions {
  private SharedOptions() {
  }

  /** {@code --json}: output for scripts. */
  static final class JsonOutput {
    @Option(names = "--json", description = "Print JSON for scripts instead of text (the fields are"
        + " described above).")
    boolean enabled;
  }

  /** {@code --no-progress}: progress is drawn on stderr, and only when it is a terminal. */
  static final class NoProgress {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--no-progress", description = "Do not draw progress on stderr (it is drawn only"
        + " when the output is a terminal anyway).")
    boolean disabled;

    /** A progress line on the command's stderr, drawn only if wanted and on a terminal. */
    Progress progress() {
      return new Progress(mixee.commandLine().getErr(), !disabled && Progress.interactive());
    }
  }

  /** {@code --key-format}: how keys are typed and printed, for commands that take a KEY. */
  static final class KeyFormat {
    @Option(names = "--key-format", paramLabel = "FORMAT", converter = Encoding.Converter.class,
        completionCandidates = Encoding.Names.class,
        description = "Format of the keys you type and of keys printed: ${COMPLETION-CANDIDATES}."
            + " Default: keys you type are utf8; printed keys are utf8 if they are printable text,"
            + " else hex (in text output with a 0x prefix). A hex key may be typed with 0x too.")
    Encoding format;

    /** {@code text}, a key or key bound named {@code what} on the command line, as bytes. */
    byte[] parse(String text, String what) {
      return SharedOptions.parse(format == null ? Encoding.UTF8 : format, text, what, "--key-format");
    }

    /** How to print {@code key}: the format asked for, else {@link Encoding#auto}. */
    Encoding output(byte[] key) {
      return format != null ? format : Encoding.auto(key);
    }
  }

  /** {@code --value-format}: how values are typed ({@code put}) and printed. */
  static final class ValueFormat {
    @Option(names = "--value-format", paramLabel = "FORMAT", converter = Encoding.Converter.class,
        completionCandidates = Encoding.Names.class,
        description = "Format of the values you type and of values printed:"
            + " ${COMPLETION-CANDIDATES}. Default: values you type are utf8; printed values are utf8"
            + " if they are printable text, else hex (in text output with a 0x prefix).")
    Encoding format;

    byte[] parse(String text, String what) {
      return SharedOptions.parse(format == null ? Encoding.UTF8 : format, text, what, "--value-format");
    }

    Encoding output(byte[] value) {
      return format != null ? format : Encoding.auto(value);
    }
  }

  /**
   * Decodes an argument.
   *
   * @throws CliException (exit {@value SettCli#EXIT_USAGE}) naming the argument and the problem
   */
  static byte[] parse(Encoding format, String text, String what, String option) {
    try {
      return format.decodeArgument(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(SettCli.EXIT_USAGE, what + " '" + text + "' is not valid " + format + ": "
          + e.getMessage() + "; correct it, or choose another " + option);
    }
  }

  /** The failure when {@code option} asked for utf8 and the bytes of {@code what} are not UTF-8. */
  static CliException notUtf8(String what, String option) {
    return new CliException(SettCli.EXIT_USAGE, what + " is not valid UTF-8, so " + option + " utf8"
        + " cannot show it; use hex or base64, or leave " + option + " out");
  }
}
