# #21: an attribute access continued on the next line inside parentheses
# (HashiCorp's parser ignores line breaks inside ( ) and [ ]).
variable "node_config" {
  type = any
}

resource "google_container_node_pool" "pool" {
  name = "pool"
  node_config {
    dynamic "containerd_config" {
      for_each = (var.node_config.containerd_config
      .private_registry_access_config) == null ? [] : [1]
      content {
        private_registry_access_config {
          enabled = [var.node_config
            .containerd_config][0].enabled
        }
      }
    }
  }
}

# A splat's traversal ends at the line break outside brackets: `b` is the next
# attribute (terraform-google-lb-http's examples).
locals {
  a = var.node_config[*].name
  b = 1
  c = (var.node_config[*]
  .name)
}
