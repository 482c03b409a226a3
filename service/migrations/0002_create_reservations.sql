-- One reservation per order id: the primary key is what makes a retried create reserve once.
-- state: held (stock taken, order not yet confirmed in DynamoDB), committed (order written),
-- released (order cancelled, stock returned).
CREATE TABLE IF NOT EXISTS reservations (
  order_id VARCHAR(64) NOT NULL,
  customer_id VARCHAR(64) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  region VARCHAR(32) NOT NULL,
  state ENUM('held', 'committed', 'released') NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (order_id),
  KEY reservations_reconcile (state, region, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS reservation_items (
  order_id VARCHAR(64) NOT NULL,
  product_id VARCHAR(64) NOT NULL,
  quantity INT UNSIGNED NOT NULL,
  unit_price_cents INT UNSIGNED NOT NULL,
  PRIMARY KEY (order_id, product_id),
  KEY reservation_items_product (product_id),
  CONSTRAINT reservation_items_reservation_fk FOREIGN KEY (order_id) REFERENCES reservations (order_id) ON DELETE CASCADE,
  CONSTRAINT reservation_items_product_fk FOREIGN KEY (product_id) REFERENCES products (product_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
