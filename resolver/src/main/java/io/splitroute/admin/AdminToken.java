package io.splitroute.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.slf4j.LoggerFactory;

/** Reads the admin listener's bearer token from {@code admin.token-file}: its first line, without spaces. */
final class AdminToken {
    private AdminToken() {}

    /** Returns the token, or {@code null} when {@code file} is {@code null}. */
    static String read(Path file) throws Unreadable {
        if (file == null) {
            return null;
        }
        String token;
        try {
            token = Files.readString(file).lines().findFirst().orElse("").strip();
        } catch (IOException e) {
            throw new Unreadable("cannot read admin.token-file " + file + ": " + e, e);
        }
        if (token.isEmpty()) {
            throw new Unreadable("admin.token-file " + file + " is empty: write the token in it (for example "
                    + "openssl rand -hex 32 > " + file + ")", null);
        }
        warnIfOthersCanRead(file);
        return token;
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.OTHERS_READ)) {
                LoggerFactory.getLogger(AdminToken.class).warn("admin.token-file {} is readable by every user "
                        + "(chmod 600 it)", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to say
        }
    }

    /** The token file cannot be used: start-up stops, whether the admin address was named or not. */
    static final class Unreadable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
