package dmdd.model.dmdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DmddSettingsTest {

    @Test
    void defaultsAreTheDocumentedValues() {
        DmddSettings d = DmddSettings.defaults();
        assertThat(d.method()).isEqualTo(Method.DMDD);
        assertThat(d.backbone()).isEqualTo("mobilenetv2");
        assertThat(d.imageSize()).isEqualTo(128);
        assertThat(d.batchSize()).isEqualTo(8);
        assertThat(d.studentSteps()).isEqualTo(360);
        assertThat(d.segmenterSteps()).isEqualTo(720);
        assertThat(d.asppRates()).containsExactly(2);
        assertThat(d.studentEncoder()).isEqualTo("inverted_residual");
        assertThat(d.seed()).isEqualTo(42L);
        assertThat(d.textureFolder()).isNull();
        assertThat(d.scarShare() + d.spotShare() + d.patchShare()).isEqualTo(0.4);
        assertThat(d.validationFraction()).isEqualTo(0.1);
        assertThat(d.cacheTeacherFeatures()).isTrue();
        assertThat(DmddSettings.fromJson(d.toJson())).isEqualTo(d);
    }

    @Test
    void choosingAMethodChoosesItsStudentUnlessTheStudentIsNamed() {
        DmddSettings d = DmddSettings.defaults();
        assertThat(d.with("method", "dcam").studentEncoder()).isEqualTo("resnet");
        assertThat(d.with("method", "baseline").studentEncoder()).isEqualTo("inverted_residual");
        assertThat(d.with("method", "dcam").with("method", "dmdd").studentEncoder()).isEqualTo("inverted_residual");
        assertThat(d.with(Map.of("method", "dcam", "studentEncoder", "inverted_residual")).studentEncoder())
                .isEqualTo("inverted_residual");
        // a student chosen for this method stays while the method does
        DmddSettings resnet = d.with("studentEncoder", "resnet");
        assertThat(resnet.with("method", "dmdd").studentEncoder()).isEqualTo("resnet");
        assertThat(resnet.with("seed", 7L).studentEncoder()).isEqualTo("resnet");
        // a settings file that names a method and no student gets the method's
        assertThat(DmddSettings.fromJson("{\"method\": \"dcam\"}").studentEncoder()).isEqualTo("resnet");
        assertThat(DmddSettings.fromJson("{\"method\": \"dcam\", \"studentEncoder\": \"inverted_residual\"}")
                .studentEncoder()).isEqualTo("inverted_residual");
        assertThat(DmddSettings.fromJson("{\"seed\": 3}").studentEncoder()).isEqualTo("inverted_residual");
        assertThatThrownBy(() -> d.with("method", "vgg")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vgg");
    }

    @Test
    void theZoomSetsTheInspectedSideInStepsOfTheNetworksStride() {
        assertThat(DmddSettings.defaults().zoomedSide()).isEqualTo(128);
        assertThat(DmddSettings.defaults().trainsOnCrops()).isFalse();
        assertThat(DmddSettings.defaults().preprocessing().isTiled()).isFalse();
        DmddSettings d = DmddSettings.defaults().with("inspectionZoom", 1.5);
        assertThat(d.zoomedSide()).isEqualTo(192); // 128 px crops in training, 128 px tiles over the 192 px image
        assertThat(d.trainsOnCrops()).isTrue();
        assertThat(d.isZoomed()).isTrue();
        assertThat(d.preprocessing().isTiled()).isTrue();
        assertThat(d.preprocessing().side()).isEqualTo(128);
        assertThat(d.preprocessing().scale()).isEqualTo(0.0);
        assertThat(d.with("inspectionZoom", 1.0).zoomedSide()).isEqualTo(128);
        assertThat(d.with("inspectionZoom", 1.0).trainsOnCrops()).isFalse();
        assertThat(d.with("imageSize", 64).zoomedSide()).isEqualTo(96);
        assertThat(d.with("imageSize", 96).zoomedSide()).isEqualTo(160); // 144 rounds to a multiple of 32
        assertThat(d.with("inspectionZoom", 1.1).zoomedSide()).isEqualTo(128); // 140.8 rounds down to the input
        assertThat(d.with("inspectionZoom", 1.1).preprocessing().isTiled()).isFalse();
        // a tiled model's tiles are its crops; its scale, not the zoom, says how large the image is inspected
        DmddSettings tiled = d.with(Map.of("inspectionScale", 2.0, "imageSize", 64));
        assertThat(tiled.trainsOnCrops()).isTrue();
        assertThat(tiled.isZoomed()).isFalse();
        assertThat(tiled.preprocessing().scale()).isEqualTo(2.0);
        assertThat(tiled.preprocessing().side()).isEqualTo(64);
        assertThatThrownBy(() -> d.with("inspectionZoom", 0.5)).hasMessageContaining("inspectionZoom must be in [1, 4]");
        assertThatThrownBy(() -> d.with("inspectionZoom", Double.NaN)).hasMessageContaining("inspectionZoom");
    }

    @Test
    void savedSettingsWithoutANetworkSettingDescribeTheNetworksOfTheirTime() {
        // a model saved before studentEncoder existed has a ResNet-layout student, whatever the default is now
        String saved = "{\"method\": \"dmdd\", \"imageSize\": 128, \"studentWidth\": 32}";
        assertThat(DmddSettings.fromSavedJson(saved).studentEncoder()).isEqualTo("resnet");
        assertThat(DmddSettings.fromSavedJson(saved).imageSize()).isEqualTo(128);
        // and was inspected (and its thresholds fitted) in one view, whatever the default is now
        assertThat(DmddSettings.defaults().inspectionViews()).isEqualTo(4);
        assertThat(DmddSettings.fromSavedJson(saved).inspectionViews()).isEqualTo(1);
        assertThat(DmddSettings.fromSavedJson("{\"inspectionViews\": 2}").inspectionViews()).isEqualTo(2);
        // and unshifted
        assertThat(DmddSettings.fromSavedJson(saved).inspectionShifts()).isEqualTo(1);
        assertThat(DmddSettings.fromSavedJson("{\"inspectionShifts\": 2}").inspectionShifts()).isEqualTo(2);
        // what a save names is kept, and a save of today reads back as it was written
        DmddSettings today = DmddSettings.defaults().with("studentEncoder", "inverted_residual");
        assertThat(DmddSettings.fromSavedJson(today.toJson())).isEqualTo(today);
        assertThat(DmddSettings.fromSavedJson(DmddSettings.defaults().toJson())).isEqualTo(DmddSettings.defaults());
        assertThatThrownBy(() -> DmddSettings.fromSavedJson("{\"studentEncoder\": \"vgg\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("studentEncoder");
        assertThatThrownBy(() -> DmddSettings.fromSavedJson("{not json"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad settings JSON");
    }

    @Test
    void oneRuleSplitsATotalStepBudget() {
        DmddSettings d = DmddSettings.defaults(); // 360 + 720: a third student
        assertThat(List.of(d.withTotalSteps(600).studentSteps(), d.withTotalSteps(600).segmenterSteps()))
                .containsExactly(200, 400);
        assertThat(List.of(d.withTotalSteps(5).studentSteps(), d.withTotalSteps(5).segmenterSteps()))
                .containsExactly(2, 3);
        DmddSettings aand = d.with("method", "aand"); // 120 amplifier + 360 student: a quarter amplifier
        assertThat(List.of(aand.withTotalSteps(600).amplifierSteps(), aand.withTotalSteps(600).studentSteps()))
                .containsExactly(150, 450);
        // Each stage keeps a step when the total allows it; a single step goes to the student.
        assertThat(List.of(d.withTotalSteps(2).studentSteps(), d.withTotalSteps(2).segmenterSteps()))
                .containsExactly(1, 1);
        assertThat(List.of(d.withTotalSteps(1).studentSteps(), d.withTotalSteps(1).segmenterSteps()))
                .containsExactly(1, 0);
        DmddSettings skewed = d.with("studentSteps", 999).with("segmenterSteps", 1);
        assertThat(skewed.withTotalSteps(10).segmenterSteps()).isEqualTo(1);
        for (int total = 1; total < 50; total++) {
            assertThat(d.withTotalSteps(total).totalSteps()).isEqualTo(total);
        }
        DmddSettings baseline = d.with("method", "baseline");
        assertThat(baseline.withTotalSteps(77).studentSteps()).isEqualTo(77);
        assertThat(baseline.withTotalSteps(77).totalSteps()).isEqualTo(77);
        assertThatThrownBy(() -> d.withTotalSteps(0)).hasMessageContaining("at least 1");
    }

    @Test
    void settingsHaveExactTypesAndMessagesInTheProductsWords() {
        assertThatThrownBy(() -> DmddSettings.fromJson("{\"batchSize\": 2.5}"))
                .hasMessage("bad settings JSON: setting 'batchSize' must be a whole number");
        assertThatThrownBy(() -> DmddSettings.fromJson("{\"topK\": \"many\"}"))
                .hasMessage("bad settings JSON: setting 'topK' must be a whole number");
        // a null number is refused by name, not read as 0 (which some settings would take)
        assertThatThrownBy(() -> DmddSettings.fromJson("{\"inspectionViews\": null}"))
                .hasMessage("bad settings JSON: setting 'inspectionViews' must be a whole number");
        // a setting named twice is refused by name, not settled by the last one
        assertThatThrownBy(() -> DmddSettings.fromJson("{\"inspectionViews\": 4, \"inspectionViews\": 2}"))
                .hasMessageStartingWith("bad settings JSON").hasMessageContaining("inspectionViews");
        assertThatThrownBy(() -> DmddSettings.fromSavedJson("{\"gaussianSigma\": null}"))
                .hasMessage("bad settings JSON: setting 'gaussianSigma' must be a number");
        assertThatThrownBy(() -> DmddSettings.defaults().with("threads", null))
                .hasMessage("bad setting: setting 'threads' must be a whole number");
        assertThat(DmddSettings.fromJson("{\"textureFolder\": null}").textureFolder()).isNull();
        // a list's element and a number too large for its type are named by their setting
        assertThatThrownBy(() -> DmddSettings.fromJson("{\"asppRates\": [2.5]}"))
                .hasMessage("bad settings JSON: setting 'asppRates' must be a whole number");
        assertThatThrownBy(() -> DmddSettings.fromJson("{\"asppRates\": [null]}"))
                .hasMessage("bad settings JSON: asppRates must be whole numbers: [null]");
        assertThatThrownBy(() -> DmddSettings.fromJson("{\"topK\": 99999999999}"))
                .hasMessage("bad settings JSON: setting 'topK' is out of range");
        assertThat(DmddSettings.defaults().with("textureFolder", "/tex").with("textureFolder", null).textureFolder())
                .isNull();
        assertThatThrownBy(() -> DmddSettings.defaults().with("cacheTeacherFeatures", "yes"))
                .hasMessage("bad setting: setting 'cacheTeacherFeatures' must be true or false");
        assertThatThrownBy(() -> DmddSettings.fromJson("{\"topK\": "))
                .hasMessageStartingWith("bad settings JSON: not valid JSON");
        assertThatThrownBy(() -> DmddSettings.fromJson("{\"batchSize\": 0}")).hasMessageContaining("batchSize");
        assertThat(DmddSettings.fromJson("{\"batchSize\": 4, \"focalGamma\": 2}").focalGamma()).isEqualTo(2.0);
        // the defect kinds share the anomalous pairs: more than all of them is refused by name
        assertThatThrownBy(() -> DmddSettings.defaults().with("patchShare", 0.7))
                .hasMessageContaining("patchShare").hasMessageContaining("at most 1");
        assertThat(DmddSettings.defaults().with("patchShare", 0.6).patchShare()).isEqualTo(0.6);
    }

    @Test
    void eachMethodSplitsItsStepsOverItsOwnStagesAndAStageSwitchedOffStaysOff() {
        DmddSettings aand = DmddSettings.defaults().with("method", "aand");
        assertThat(aand.stages()).containsExactly(TrainingStage.AMPLIFIER, TrainingStage.STUDENT);
        DmddSettings split = aand.withTotalSteps(80); // 200 : 600 by default
        assertThat(List.of(split.amplifierSteps(), split.studentSteps())).containsExactly(20, 60);
        assertThat(split.totalSteps()).isEqualTo(80);
        assertThat(split.stageAt(19)).isEqualTo(TrainingStage.AMPLIFIER);
        assertThat(split.stageAt(20)).isEqualTo(TrainingStage.STUDENT);
        assertThat(split.stageStart(TrainingStage.STUDENT)).isEqualTo(20);
        DmddSettings off = aand.with("amplifierSteps", 0).withTotalSteps(10);
        assertThat(List.of(off.amplifierSteps(), off.studentSteps())).containsExactly(0, 10);
        assertThat(DmddSettings.defaults().with("method", "dcam").withTotalSteps(7).totalSteps()).isEqualTo(7);
        assertThat(DmddSettings.defaults().with("method", "dcam").stages()).containsExactly(TrainingStage.STUDENT);
    }

    @Test
    void theStudentsBatchNormsFreezeAfterTheirShareOfTheStudentStageOnly() {
        DmddSettings d = DmddSettings.defaults(); // 360 student + 720 segmentation steps, frozen from 0.25
        assertThat(d.studentNormsFrozenFrom()).isEqualTo(0.25);
        assertThat(d.studentNormsFrozenAt(0)).isFalse();
        assertThat(d.studentNormsFrozenAt(89)).isFalse();
        assertThat(d.studentNormsFrozenAt(90)).isTrue();
        assertThat(d.studentNormsFrozenAt(359)).isTrue();
        assertThat(d.studentNormsFrozenAt(360)).as("the segmentation stage's student is folded anyway").isFalse();
        assertThat(d.with("studentNormsFrozenFrom", 1.0).studentNormsFrozenAt(359)).isFalse();
        // 0.01 of 360 steps is 3.6: the fifth step (index 4) is the first frozen one
        assertThat(d.with("studentNormsFrozenFrom", 0.01).studentNormsFrozenAt(3)).isFalse();
        assertThat(d.with("studentNormsFrozenFrom", 0.01).studentNormsFrozenAt(4)).isTrue();
        // a share whose product is a whole number up to float error: 0.07 x 100 = 7.000000000000001
        assertThat(d.with(java.util.Map.of("studentSteps", 100, "studentNormsFrozenFrom", 0.07)).studentNormsFrozenAt(7))
                .isTrue();
        // a share of 10 steps rounds up: the third step is the first frozen one
        assertThat(d.with("studentSteps", 10).studentNormsFrozenAt(2)).isFalse();
        assertThat(d.with("studentSteps", 10).studentNormsFrozenAt(3)).isTrue();
        // AAND's student stage comes after the amplifier's 20 steps: its share counts from there
        DmddSettings aand = DmddSettings.defaults().with("method", "aand").withTotalSteps(80);
        assertThat(aand.studentNormsFrozenAt(20 + 14)).isFalse();
        assertThat(aand.studentNormsFrozenAt(20 + 15)).isTrue();
        // models saved before the setting trained with batch statistics to the end
        assertThat(DmddSettings.fromSavedJson("{\"method\": \"dmdd\"}").studentNormsFrozenFrom()).isEqualTo(1.0);
        assertThatThrownBy(() -> d.with("studentNormsFrozenFrom", 1.5))
                .hasMessageContaining("studentNormsFrozenFrom must be in (0, 1]");
        assertThatThrownBy(() -> d.with("studentNormsFrozenFrom", 0.0))
                .hasMessageContaining("studentNormsFrozenFrom must be in (0, 1]");
    }

    @Test
    void infiniteOrHugeValuesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> DmddSettings.defaults().with("spatialKlWeight", Double.POSITIVE_INFINITY))
                .hasMessageContaining("spatialKlWeight");
        assertThatThrownBy(() -> DmddSettings.defaults().with("hardWeight", 1e38)).hasMessageContaining("hardWeight");
        assertThatThrownBy(() -> DmddSettings.defaults().with("bottleneckWidth", 100000))
                .hasMessageContaining("bottleneckWidth");
        assertThat(DmddSettings.defaults().differencesFrom(DmddSettings.defaults().with(Map.of("method", "aand",
                "batchSize", 4)))).containsExactly("method", "batchSize");
    }
}
