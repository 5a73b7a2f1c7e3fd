package dev.servmon.agent.install;

import java.nio.file.Path;

/**
 * What an install needs from the operating system beyond writing files: root, a service
 * user, file ownership and systemctl. {@link LinuxSystem} does it for real; {@link #STAGED}
 * does none of it, for files staged under another root.
 */
public interface SystemOps {
    /** Throws when this process may not install system-wide (not root). */
    void requireRoot() throws InstallException;

    /** True when systemd is the running init system, so units can be enabled and started. */
    boolean systemdRunning();

    /** Runs {@code systemctl args...}; throws with its output when it fails. */
    void systemctl(String... args) throws InstallException;

    /** Creates the system user {@code name} (home {@code home}, no login) unless it exists; true when created. */
    boolean ensureSystemUser(String name, Path home) throws InstallException;

    /** Makes {@code user} (and its group, if any) own {@code path}. */
    void chown(Path path, String user) throws InstallException;

    /** For files staged under another root: no root needed, no users, no services. */
    SystemOps STAGED = new SystemOps() {
        @Override
        public void requireRoot() {
            // Staging writes to a directory of the caller's choosing.
        }

        @Override
        public boolean systemdRunning() {
            return false;
        }

        @Override
        public void systemctl(String... args) {
            throw new IllegalStateException("systemctl is never run for staged files");
        }

        @Override
        public boolean ensureSystemUser(String name, Path home) {
            return false;
        }

        @Override
        public void chown(Path path, String user) {
            // The staged files keep the caller as owner; the image's own setup assigns them.
        }
    };
}
