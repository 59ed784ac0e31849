package io.redisl1.store.command;

/** Classifies one command whose name (and subcommand, if any) is already known. */
@FunctionalInterface
interface Rule {
  /** Must not throw on any argv; argv and its elements are non-null. */
  CommandEffect apply(byte[][] argv);
}
