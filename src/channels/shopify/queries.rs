//! The GraphQL documents the connector sends, and their requested cost.
//!
//! Page sizes are chosen so each query stays under Shopify's single-query
//! cap of 1000 points: a connection costs 2 + `first` × (cost of one node),
//! and every object inside a node costs 1.

/// One paginated root connection.
#[derive(Debug, Clone, Copy)]
pub struct PagedQuery {
    /// Root field whose connection is paged.
    pub root: &'static str,
    pub document: &'static str,
    /// Requested cost of one node (objects inside it included).
    pub node_cost: u32,
    /// Cost outside the page: the connection's 2 plus any other root objects.
    pub fixed_cost: u32,
    /// Largest `first` that keeps the query under the cap.
    pub max_first: u32,
    /// Whether it takes the `updated_at:>=` filter on incremental polls.
    pub incremental: bool,
}

impl PagedQuery {
    /// Requested cost for a page of `first` nodes.
    #[must_use]
    pub fn cost(&self, first: u32) -> f64 {
        f64::from(self.fixed_cost + first * self.node_cost)
    }
}

/// Variants with their product, price and inventory item cost.
/// Node: variant 1 + inventoryItem 1 + unitCost 1 + product 1.
pub const VARIANTS: PagedQuery = PagedQuery {
    root: "productVariants",
    document: "query Variants($first: Int!, $after: String, $q: String) {
  productVariants(first: $first, after: $after, query: $q) {
    edges { node {
      id sku title price compareAtPrice inventoryQuantity
      inventoryItem { id unitCost { amount currencyCode } }
      product { id title }
    } }
    pageInfo { hasNextPage endCursor }
  }
}",
    node_cost: 4,
    fixed_cost: 2,
    max_first: 240,
    incremental: true,
};

/// Levels per inventory item read in one go; more is reported, not paged.
pub const LEVELS_PER_ITEM: u32 = 10;

/// Inventory items with their levels at every location.
/// Node: item 1 + levels connection (2 + 10 × (level 1 + location 1 + quantities 1)).
pub const INVENTORY: PagedQuery = PagedQuery {
    root: "inventoryItems",
    document: "query Inventory($first: Int!, $after: String, $q: String) {
  inventoryItems(first: $first, after: $after, query: $q) {
    edges { node {
      id sku tracked
      inventoryLevels(first: 10) {
        edges { node {
          id
          location { id }
          quantities(names: [\"available\", \"on_hand\", \"committed\", \"incoming\", \"reserved\", \"damaged\", \"quality_control\"]) { name quantity }
          updatedAt
        } }
        pageInfo { hasNextPage }
      }
    } }
    pageInfo { hasNextPage endCursor }
  }
}",
    node_cost: 33,
    fixed_cost: 2,
    max_first: 30,
    incremental: true,
};

/// Locations, plus the shop's currency (shop 1, charged with the page).
pub const LOCATIONS: PagedQuery = PagedQuery {
    root: "locations",
    document: "query Locations($first: Int!, $after: String) {
  shop { currencyCode }
  locations(first: $first, after: $after) {
    edges { node { id name } }
    pageInfo { hasNextPage endCursor }
  }
}",
    node_cost: 1,
    fixed_cost: 3,
    max_first: 250,
    incremental: false,
};

/// Lines read per order; more is reported, not paged.
pub const LINES_PER_ORDER: u32 = 10;

/// Orders with their lines.
/// Node: order 1 + lines (2 + 10 × (line 1 + 2 money bags × 2 + variant 1)).
pub const ORDERS: PagedQuery = PagedQuery {
    root: "orders",
    document: "query Orders($first: Int!, $after: String, $q: String) {
  orders(first: $first, after: $after, query: $q, sortKey: CREATED_AT) {
    edges { node {
      id name createdAt cancelledAt displayFulfillmentStatus
      lineItems(first: 10) {
        edges { node {
          sku quantity
          originalUnitPriceSet { shopMoney { amount currencyCode } }
          discountedTotalSet { shopMoney { amount currencyCode } }
          variant { id }
        } }
        pageInfo { hasNextPage }
      }
    } }
    pageInfo { hasNextPage endCursor }
  }
}",
    node_cost: 63,
    fixed_cost: 2,
    max_first: 15,
    incremental: true,
};

/// Automatic and code discounts.
/// Node: 1 + discount 1 + customerGets 1 + value (1 + amount 1) + items (1 + 2 + 50).
pub const DISCOUNTS: PagedQuery = PagedQuery {
    root: "discountNodes",
    document: "query Discounts($first: Int!, $after: String) {
  discountNodes(first: $first, after: $after) {
    edges { node { id discount {
      __typename
      ... on DiscountAutomaticBasic { title startsAt endsAt customerGets { ...CG } }
      ... on DiscountCodeBasic { title startsAt endsAt customerGets { ...CG } }
    } } }
    pageInfo { hasNextPage endCursor }
  }
}
fragment CG on DiscountCustomerGets {
  value {
    ... on DiscountPercentage { percentage }
    ... on DiscountAmount { amount { amount currencyCode } appliesOnEachItem }
  }
  items {
    ... on AllDiscountItems { allItems }
    ... on DiscountProducts { productVariants(first: 50) { edges { node { id sku } } pageInfo { hasNextPage } } }
  }
}",
    node_cost: 58,
    fixed_cost: 2,
    max_first: 15,
    incremental: false,
};
