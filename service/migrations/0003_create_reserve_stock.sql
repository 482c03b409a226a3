-- Reserves the stock of one order in a single round trip to the writer. From a reader region the
-- writer is a cross-region hop away; a transaction driven statement by statement from the service
-- held the product row locks for several of those hops, and one CALL holds them for none.
--
-- p_lines: a JSON array of {"line": <index in the request>, "productId": "...", "quantity": n},
-- sorted by productId (every reservation locks products in the same order, so two never deadlock)
-- and naming each product once.
--
-- Result: one result set. On success the reserved lines (product_id, quantity, unit_price_cents)
-- and the transaction is committed. On refusal a single row whose `problem` is UNKNOWN_PRODUCT or
-- INSUFFICIENT_STOCK for the lowest request line that fails, and nothing is written. A repeated
-- order id fails with ER_DUP_ENTRY, any other error rolls back and is raised again.
--
-- Dropped first so that a run interrupted before it was recorded can simply run again.
DROP PROCEDURE IF EXISTS reserve_stock;

-- Text parameters and variables carry the tables' collation explicitly: otherwise they take the
-- database default (utf8mb4_0900_ai_ci on MySQL 8), and comparisons would mix two collations.
CREATE PROCEDURE reserve_stock(
  IN p_order_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  IN p_customer_id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  IN p_request_hash CHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  IN p_region VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
  IN p_lines JSON
)
MODIFIES SQL DATA
reserve: BEGIN
  DECLARE v_count INT DEFAULT JSON_LENGTH(p_lines);
  DECLARE v_index INT DEFAULT 0;
  DECLARE v_line INT;
  DECLARE v_product VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_quantity INT UNSIGNED;
  DECLARE v_price INT UNSIGNED;
  DECLARE v_stock INT UNSIGNED;
  DECLARE v_problem VARCHAR(32) DEFAULT NULL;
  DECLARE v_problem_line INT;
  DECLARE v_problem_product VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
  DECLARE v_problem_stock INT UNSIGNED;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    ROLLBACK;
    RESIGNAL;
  END;

  START TRANSACTION;
  INSERT INTO reservations (order_id, customer_id, request_hash, region, state, created_at, updated_at)
  VALUES (p_order_id, p_customer_id, p_request_hash, p_region, 'held', NOW(3), NOW(3));

  -- First pass: lock every product and find the first request line that cannot be served.
  WHILE v_index < v_count DO
    SET v_line = CAST(JSON_EXTRACT(p_lines, CONCAT('$[', v_index, '].line')) AS SIGNED);
    SET v_product = JSON_UNQUOTE(JSON_EXTRACT(p_lines, CONCAT('$[', v_index, '].productId')));
    SET v_quantity = CAST(JSON_EXTRACT(p_lines, CONCAT('$[', v_index, '].quantity')) AS UNSIGNED);
    SET v_price = NULL;
    SET v_stock = NULL;
    SELECT price_cents, stock INTO v_price, v_stock FROM products WHERE product_id = v_product FOR UPDATE;
    IF (v_price IS NULL OR v_stock < v_quantity) AND (v_problem IS NULL OR v_line < v_problem_line) THEN
      SET v_problem = IF(v_price IS NULL, 'UNKNOWN_PRODUCT', 'INSUFFICIENT_STOCK');
      SET v_problem_line = v_line;
      SET v_problem_product = v_product;
      SET v_problem_stock = v_stock;
    END IF;
    SET v_index = v_index + 1;
  END WHILE;

  IF v_problem IS NOT NULL THEN
    ROLLBACK;
    SELECT v_problem AS problem, v_problem_line AS line, v_problem_product AS product_id,
           v_problem_stock AS stock;
    LEAVE reserve;
  END IF;

  -- Second pass: the rows are locked and every line fits, so take the stock.
  SET v_index = 0;
  WHILE v_index < v_count DO
    SET v_product = JSON_UNQUOTE(JSON_EXTRACT(p_lines, CONCAT('$[', v_index, '].productId')));
    SET v_quantity = CAST(JSON_EXTRACT(p_lines, CONCAT('$[', v_index, '].quantity')) AS UNSIGNED);
    UPDATE products SET stock = stock - v_quantity, updated_at = NOW(3) WHERE product_id = v_product;
    INSERT INTO reservation_items (order_id, product_id, quantity, unit_price_cents)
    SELECT p_order_id, product_id, v_quantity, price_cents FROM products WHERE product_id = v_product;
    SET v_index = v_index + 1;
  END WHILE;
  COMMIT;

  SELECT NULL AS problem, product_id, quantity, unit_price_cents
  FROM reservation_items WHERE order_id = p_order_id;
END
