/**
 * {@code --install} and {@code --uninstall}: the agent as a systemd service on Linux. The unit
 * and config file are rendered by pure functions ({@link dev.servmon.agent.install.SystemdUnit},
 * {@link dev.servmon.agent.install.InstalledConfig}); every path comes from an
 * {@link dev.servmon.agent.install.InstallLayout} with a root, and users and systemctl are
 * reached through {@link dev.servmon.agent.install.SystemOps}, so the whole install can run
 * into a temporary directory.
 */
package dev.servmon.agent.install;
