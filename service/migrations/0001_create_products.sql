-- Catalogue and stock. Stock is unsigned and checked, so even a bypassed guard cannot go negative.
CREATE TABLE IF NOT EXISTS products (
  product_id VARCHAR(64) NOT NULL,
  name VARCHAR(200) NOT NULL,
  price_cents INT UNSIGNED NOT NULL,
  stock INT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (product_id),
  CONSTRAINT products_stock_not_negative CHECK (stock >= 0)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
