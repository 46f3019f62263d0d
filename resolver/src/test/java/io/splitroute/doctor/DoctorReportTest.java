package io.splitroute.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What doctor makes of its findings: exit status, text lines, JSON. */
class DoctorReportTest {
    private static final Finding CONFIG_OK = Finding.ok(Doctor.CONFIG, "splitroute.yaml");

    @Test
    void allPassed_exits0() {
        DoctorReport report = new DoctorReport(List.of(CONFIG_OK, Finding.ok("set gfw4", "ipset gfwlist (inet) exists")));

        assertThat(report.exitStatus()).isZero();
        assertThat(report.summary()).isEqualTo("all 2 checks passed");
    }

    @Test
    void oneFailed_exits1_andItsLineSaysWhatToDo() {
        Finding missing = Finding.fail("set gfw4", "ipset gfwlist does not exist", "systemctl restart splitroute-routing");
        DoctorReport report = new DoctorReport(List.of(CONFIG_OK, missing, Finding.skip("names", "no server")));

        assertThat(report.exitStatus()).isEqualTo(1);
        assertThat(missing.line()).isEqualTo("FAIL set gfw4: ipset gfwlist does not exist -> systemctl restart splitroute-routing");
        assertThat(report.summary()).isEqualTo("2 of 3 checks did not pass");
    }

    @Test
    void badConfig_exits2() {
        assertThat(new DoctorReport(List.of(Finding.fail(Doctor.CONFIG, "x.yaml:3: cache.size: bad", "fix it"))).exitStatus())
                .isEqualTo(2);
    }

    @Test
    void json_hasEveryCheckWithStatusDetailAndFix() {
        DoctorReport report = new DoctorReport(List.of(CONFIG_OK,
                Finding.fail("name a.example", "1.2.3.4 is not in \"ipset x\"", "reload")));

        assertThat(report.json()).isEqualTo("{\"ok\":false,\"checks\":["
                + "{\"check\":\"config\",\"status\":\"ok\",\"detail\":\"splitroute.yaml\",\"fix\":null},"
                + "{\"check\":\"name a.example\",\"status\":\"fail\",\"detail\":\"1.2.3.4 is not in \\\"ipset x\\\"\","
                + "\"fix\":\"reload\"}]}");
    }
}
