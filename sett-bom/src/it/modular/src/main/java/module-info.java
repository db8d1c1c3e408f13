/** A user's application module that embeds Sett. */
module example.modular {
  requires dev.sett.core;
}
