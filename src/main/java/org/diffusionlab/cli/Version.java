package org.diffusionlab.cli;

import org.diffusionlab.engine.AppInfo;

import picocli.CommandLine;

final class Version {
    private Version() {
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {AppInfo.NAME + " " + AppInfo.version(), "Licence: " + AppInfo.LICENSE};
        }
    }
}
