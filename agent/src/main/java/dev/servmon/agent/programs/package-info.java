/**
 * Program supervision: the agent starts, watches, restarts and stops programs defined on the hub
 * ({@link dev.servmon.agent.programs.Supervisor}), keeps them running across its own restarts by
 * re-adopting them, captures their output to rotating files, and watches systemd units and
 * Windows services by name. See docs/programs.md.
 */
package dev.servmon.agent.programs;
