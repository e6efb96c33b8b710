"""The Kubernetes manifests (deploy/kubernetes), checked offline: `kubectl kustomize`
renders the base and the example overlay, every object is valid for Kubernetes 1.32 by
its published schema with no unknown field (kubernetes-validate, strict), Rapat's
settings in them are real and pass its production checks, and each node pod's signaling
URL is routed to that pod. No cluster is started here."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from rapat.config import ENV_PREFIX, Settings
from rapat.config.check import check_settings

pytestmark = pytest.mark.deploy

KUBERNETES = Path(__file__).resolve().parents[3] / "deploy" / "kubernetes"
VERSION = "1.32.0"  # the kubectl this was tested with; the oldest version the file uses
TREES = ("base", "overlays/example")
# Settings the Secret `rapat` holds in a real deployment (docs/deployment.md).
SECRET = {
    "secret_key": "4f1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a",
    "database_url": "postgresql+asyncpg://rapat:pw@postgres:5432/rapat",
    "broker_url": "amqp://rapat:pw@rabbitmq:5672/",
    "smtp_url": "smtp+starttls://user:pw@mail.example.org:587",
    "turn_urls": "turn:turn.example.org:3478?transport=udp",
    "turn_secret": "0123456789abcdef0123456789abcdef",
}


def render(tree: str) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    assert kubectl, "kubectl (1.27 or newer, with kustomize v5) is missing"
    rendered = subprocess.run(
        [kubectl, "kustomize", str(KUBERNETES / tree)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert rendered.stderr == "", rendered.stderr  # no deprecated field either
    return [doc for doc in yaml.safe_load_all(rendered.stdout) if doc]


def by_kind(objects: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def node_settings(objects: list[dict[str, Any]]) -> tuple[dict[str, str], int]:
    """A node pod's environment as the kubelet makes it (ConfigMap, then env with $(VAR)
    expanded; the Secret's settings aside), and the StatefulSet's replicas."""
    statefulset = by_kind(objects, "StatefulSet")["rapat"]
    (config,) = by_kind(objects, "ConfigMap").values()
    environment = dict(config["data"])
    container = statefulset["spec"]["template"]["spec"]["containers"][0]
    pod = {"POD_NAME": "rapat-0", "RAPAT_HOST": "10.1.2.3"}  # the downward API's
    for variable in container["env"]:
        value = variable.get("value", pod.get(variable["name"]))
        environment[variable["name"]] = re.sub(
            r"\$\((\w+)\)", lambda found: environment[found[1]], value
        )
    return environment, statefulset["spec"]["replicas"]


@pytest.mark.parametrize("tree", TREES)
def test_every_object_is_valid_for_kubernetes(tree: str) -> None:
    objects = render(tree)
    kinds = {o["kind"] for o in objects}
    assert {"StatefulSet", "Ingress", "PodDisruptionBudget", "ConfigMap", "Service"} <= kinds
    for manifest in objects:
        kubernetes_validate.validate(manifest, VERSION, strict=True)


def test_the_validator_rejects_an_unknown_field() -> None:
    statefulset = copy.deepcopy(by_kind(render("base"), "StatefulSet")["rapat"])
    statefulset["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(statefulset, VERSION, strict=True)


@pytest.mark.parametrize("tree", TREES)
def test_the_settings_are_real_and_pass_rapats_production_checks(tree: str, tmp_path: Path) -> None:
    environment, _ = node_settings(render(tree))
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    given = {key for key in environment if key.startswith(ENV_PREFIX)}
    assert given <= known
    values = {key[len(ENV_PREFIX) :].lower(): value for key, value in environment.items()}
    values = {k: v for k, v in values.items() if k in Settings.model_fields} | SECRET
    # this machine's stand-ins for the image's data directory and packaged web app
    values |= {"data_dir": str(tmp_path), "frontend_dir": str(tmp_path)}
    (tmp_path / "index.html").write_text("<!doctype html>")
    settings = Settings(_env_file=None, **values)
    assert settings.env == "production"
    assert settings.node_url == f"wss://{environment['PUBLIC_HOST']}/node/rapat-0/ws"
    assert [str(f) for f in check_settings(settings)] == []


@pytest.mark.parametrize("tree", TREES)
def test_each_node_pods_signaling_url_is_routed_to_that_pod(tree: str) -> None:
    objects = render(tree)
    environment, replicas = node_settings(objects)
    services = by_kind(objects, "Service")
    ingresses = by_kind(objects, "Ingress")
    host = environment["PUBLIC_HOST"]
    assert environment["RAPAT_PUBLIC_URL"] == f"https://{host}"
    for ingress in ingresses.values():
        assert [rule["host"] for rule in ingress["spec"]["rules"]] == [host]
        assert ingress["spec"]["tls"][0]["hosts"] == [host]
    nodes = ingresses["rapat-nodes"]
    assert nodes["metadata"]["annotations"]["nginx.ingress.kubernetes.io/rewrite-target"] == "/ws"
    routes = {
        path["path"]: path["backend"]["service"]["name"]
        for path in nodes["spec"]["rules"][0]["http"]["paths"]
    }
    pods = [f"rapat-{index}" for index in range(replicas)]
    assert routes == {f"/node/{pod}/ws": pod for pod in pods}
    for pod in pods:
        assert services[pod]["spec"]["selector"] == {"statefulset.kubernetes.io/pod-name": pod}
    pod = by_kind(objects, "StatefulSet")["rapat"]["spec"]["template"]["spec"]
    server, worker = pod["containers"]
    # the probes read Rapat's own
    assert server["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert server["readinessProbe"]["httpGet"]["path"] == "/readyz"
    # The pod's worker takes the pod's jobs, on its data directory (the raw tracks).
    assert (server["args"], worker["args"]) == (["serve"], ["worker"])
    queues = [
        next(v["value"] for v in container["env"] if v["name"] == "RAPAT_JOBS_QUEUE")
        for container in (server, worker)
    ]
    assert queues == ["rapat-$(POD_NAME)"] * 2
    assert server["volumeMounts"] == worker["volumeMounts"]
