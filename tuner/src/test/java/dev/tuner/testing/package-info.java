/**
 * What tests share, not tests themselves: the real peers they talk to (lab hosts, a test sshd,
 * vcsim and pyVmomi, Ansible), the command line run in-process ({@link dev.tuner.testing.TunerCli}),
 * the one rule for a peer that cannot run here ({@link dev.tuner.testing.Peers}), where the
 * repository's files are ({@link dev.tuner.testing.Repo}), and readers of formats the tool writes.
 */
package dev.tuner.testing;
