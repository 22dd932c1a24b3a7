package dmdd.model.infer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Turns a description this version saved into one as an older version saved it, for tests of reading those. */
public final class OlderModels {
    private OlderModels() {
    }

    /**
     * @param description a description this version saved (changed in place)
     * @return it without its seal and without the settings added after the seal, as a model saved before the seal
     */
    public static ObjectNode savedBeforeTheSeal(ObjectNode description) {
        description.remove(ModelFolder.SEAL);
        ((ObjectNode) description.get("settings")).remove(ModelFolder.FIRST_SETTING_AFTER_SEAL);
        return description;
    }
}
