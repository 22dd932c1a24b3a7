package dmdd.model.teacher;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NpmRegistryTest {
    @Test
    void tarballUrlIsBuiltFromTheConfiguredRegistry() throws TeacherWeightsException {
        String before = System.getProperty(NpmRegistry.PROPERTY);
        try {
            System.setProperty(NpmRegistry.PROPERTY, "https://mirror.example.invalid/npm");
            assertThat(NpmRegistry.tarballUri("nsfwjs", "4.3.0").toString())
                    .isEqualTo("https://mirror.example.invalid/npm/nsfwjs/-/nsfwjs-4.3.0.tgz");
            System.setProperty(NpmRegistry.PROPERTY, "https://mirror.example.invalid/npm/");
            assertThat(NpmRegistry.tarballUri("nsfwjs", "4.3.0").toString())
                    .isEqualTo("https://mirror.example.invalid/npm/nsfwjs/-/nsfwjs-4.3.0.tgz");
        } finally {
            if (before == null) {
                System.clearProperty(NpmRegistry.PROPERTY);
            } else {
                System.setProperty(NpmRegistry.PROPERTY, before);
            }
        }
    }
}
