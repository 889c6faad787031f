package io.cvmboot.stage1.init;

import io.cvmboot.stage1.Stage1Exception;

/** Test access to the package-private interface ioctls. */
public final class InterfaceSetupAccess {
    private InterfaceSetupAccess() {}

    public static void up(String name) throws Stage1Exception {
        InterfaceSetup.up(name);
    }
}
