terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }
}

provider "google" {
  project = var.project
  region  = var.region
}

resource "google_compute_network" "lb_network" {
  name                    = "lb-network"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "lb_subnet" {
  name          = "lb-subnet"
  ip_cidr_range = cidrsubnet("10.1.0.0/16", 8000000000000000000000000000000000000000000000000000, 2) # 10.1.2.0/24
  region        = var.region
  network       = google_compute_network.lb_network.id
}

resource "google_compute_subnetwork" "proxy_only" {
  name          = "proxy-only-subnet"
  ip_cidr_range = "10.129.0.0/23"
  region        = var.region
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
  network       = google_compute_network.lb_network.id
}

resource "google_cloud_run_v2_service" "app" {
  name                = "${var.prefix}-run"
  location            = var.region
  ingress             = "INGRESS_TRAFFIC_INTERNAL_ONLY"
  deletion_protection = false

  template {
    containers {
      image = var.image
    }
  }
}

/* The load balancer itself lives in a local module. */
module "lb" {
  source = "./modules/lb"

  prefix       = var.prefix
  region       = "us-east1"
  network      = google_compute_network.lb_network.id
  subnetwork   = google_compute_subnetwork.lb_subnet.id
  service_name = google_cloud_run_v2_service.app.name
  url_mask     = null
  keep_alive   = var.keep_alive

  depends_on = [google_compute_subnetwork.proxy_only]
}
