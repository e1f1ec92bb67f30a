package dev.tuner.settings.vmx;

import dev.tuner.diag.TunerException;
import dev.tuner.settings.HostContext;
import dev.tuner.vsphere.VSphere;
import dev.tuner.vsphere.Vim25Client;
import java.util.function.Function;

/**
 * One vSphere session per endpoint (URL, user, credentials source and TLS policy) per run, shared by
 * every host of it: the run's {@link dev.tuner.settings.RunScope} logs it out at the end. A login that
 * fails is remembered for the run too, so fifty hosts behind a wrong password make one failed login,
 * not fifty (which could lock the account).
 */
final class VsphereSessions {
    private VsphereSessions() {}

    /** A session or the reason there is none; closing it logs out. */
    private static final class Opened implements AutoCloseable {
        private final VSphere session;
        private final TunerException failure;

        private Opened(VSphere session, TunerException failure) {
            this.session = session;
            this.failure = failure;
        }

        static Opened open(VsphereTarget t) {
            if (t.warning() != null) {
                // Once per endpoint and run on stderr, whatever the output format (drift reports do not show notes).
                System.err.println(t.warning());
            }
            try {
                return new Opened(Vim25Client.connect(t.endpoint()), null);
            } catch (TunerException e) {
                return new Opened(null, e);
            }
        }

        VSphere get(VsphereTarget t) {
            if (failure != null) {
                throw new TunerException("vSphere " + t.url() + ": " + failure.getMessage(), failure);
            }
            return session;
        }

        @Override
        public void close() {
            if (session != null) {
                session.close();
            }
        }
    }

    /** Runs {@code work} with the endpoint's session: the run's shared one, or (without a run scope) one of its own. */
    static <R> R with(HostContext host, VsphereTarget t, Function<VSphere, R> work) {
        if (host.scope() != null) {
            Opened o = host.scope().shared("vsphere|" + t.key(), () -> Opened.open(t));
            return work.apply(o.get(t));
        }
        try (Opened o = Opened.open(t)) {
            return work.apply(o.get(t));
        }
    }
}
