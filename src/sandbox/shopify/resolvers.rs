//! The Shopify Admin schema subset the connectors use, as resolver objects
//! over the sandbox [`World`].

use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::conn::{Flavour, Plain, paginate, updated_since};
use crate::sandbox::graphql::{Arguments, FieldError, Object, Resolved};
use crate::sandbox::world::{DiscountValue, Level, Product, ShopDiscount, ShopLocation, ShopOrder, Variant, World};

const HOSTILE: &str = "\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[1A";
const CURRENCY: &str = "USD";

fn gid(kind: &str, id: u64) -> Value {
    Value::String(format!("gid://shopify/{kind}/{id}"))
}

fn amount(d: Decimal) -> String {
    format!("{d:.2}")
}

fn money(d: Decimal) -> Resolved<'static> {
    Resolved::object(Plain::new("MoneyV2", json!({"amount": amount(d), "currencyCode": CURRENCY})))
}

fn ts(t: jiff::Timestamp) -> Value {
    Value::String(t.to_string())
}

fn unknown(ty: &str, name: &str) -> Result<Resolved<'static>, FieldError> {
    Err(FieldError::unknown_field(ty, name))
}

/// `QueryRoot`.
pub struct Root<'w> {
    pub world: &'w World,
    pub flavour: Flavour,
}

impl Object for Root<'_> {
    fn typename(&self) -> &'static str {
        "QueryRoot"
    }
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let w = self.world;
        let since = updated_since(args);
        let fresh = |t: jiff::Timestamp| since.is_none_or(|s| t >= s);
        let f = self.flavour;
        match name {
            "products" => {
                paginate(&w.products.iter().filter(|p| fresh(p.updated_at)).collect::<Vec<_>>(), args, f, product)
            }
            "productVariants" => {
                let all: Vec<_> = w.products.iter().filter(|p| fresh(p.updated_at)).flat_map(|p| &p.variants).collect();
                paginate(&all, args, f, variant)
            }
            "inventoryItems" => {
                let all: Vec<_> = w
                    .products
                    .iter()
                    .flat_map(|p| &p.variants)
                    .filter(|v| v.tracked && v.levels.iter().any(|l| fresh(l.updated_at)))
                    .collect();
                paginate(&all, args, f, inventory_item)
            }
            "locations" => paginate(&w.locations.iter().collect::<Vec<_>>(), args, f, location),
            "orders" => paginate(&w.orders.iter().filter(|o| fresh(o.updated_at)).collect::<Vec<_>>(), args, f, order),
            "shop" => Ok(Resolved::object(Plain::new(
                "Shop",
                json!({"name": "Northwind Sandbox", "currencyCode": w.currency}),
            ))),
            "discountNodes" => paginate(&w.discounts.iter().collect::<Vec<_>>(), args, f, discount_node),
            _ => unknown("QueryRoot", name),
        }
    }
}

fn product(p: &Product, f: Flavour) -> Resolved<'_> {
    Resolved::object(ProductObj(p, f))
}
struct ProductObj<'w>(&'w Product, Flavour);
impl Object for ProductObj<'_> {
    fn typename(&self) -> &'static str {
        "Product"
    }
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let p = self.0;
        Ok(match name {
            "id" => Resolved::Value(gid("Product", p.id)),
            "title" if self.1.hostile_titles => Resolved::value(format!("{HOSTILE}{}", p.title)),
            "title" => Resolved::value(p.title.as_str()),
            "handle" => Resolved::value(p.handle.as_str()),
            "status" => Resolved::value("ACTIVE"),
            "updatedAt" => Resolved::Value(ts(p.updated_at)),
            "variants" => return paginate(&p.variants.iter().collect::<Vec<_>>(), args, Flavour::default(), variant),
            _ => return unknown("Product", name),
        })
    }
}

fn variant(v: &Variant, f: Flavour) -> Resolved<'_> {
    Resolved::object(VariantObj(v, f))
}
struct VariantObj<'w>(&'w Variant, Flavour);
impl Object for VariantObj<'_> {
    fn typename(&self) -> &'static str {
        "ProductVariant"
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let v = self.0;
        Ok(match name {
            "id" => Resolved::Value(gid("ProductVariant", v.id)),
            "sku" => Resolved::value(v.sku.as_str()),
            "title" => Resolved::value(v.title.as_str()),
            "price" => Resolved::value(amount(v.price)),
            "compareAtPrice" => Resolved::optional(v.compare_at, |d| Resolved::value(amount(d))),
            "inventoryQuantity" => Resolved::value(v.levels.iter().map(|l| l.available).sum::<i64>()),
            "inventoryItem" => inventory_item(v, self.1),
            "product" => {
                let title = if self.1.hostile_titles {
                    format!("{HOSTILE}{}", v.product_title)
                } else {
                    v.product_title.clone()
                };
                Resolved::object(Plain::new("Product", json!({"id": gid("Product", v.product_id), "title": title})))
            }
            _ => return unknown("ProductVariant", name),
        })
    }
}

fn inventory_item(v: &Variant, _f: Flavour) -> Resolved<'_> {
    Resolved::object(ItemObj(v))
}
struct ItemObj<'w>(&'w Variant);
impl Object for ItemObj<'_> {
    fn typename(&self) -> &'static str {
        "InventoryItem"
    }
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let v = self.0;
        Ok(match name {
            "id" => Resolved::Value(gid("InventoryItem", v.inventory_item_id)),
            "sku" => Resolved::value(v.sku.as_str()),
            "tracked" => Resolved::value(v.tracked),
            "unitCost" => Resolved::optional(v.unit_cost, money),
            "inventoryLevels" => {
                return paginate(&v.levels.iter().collect::<Vec<_>>(), args, Flavour::default(), level);
            }
            _ => return unknown("InventoryItem", name),
        })
    }
}

fn level(l: &Level, _f: Flavour) -> Resolved<'_> {
    Resolved::object(LevelObj(l))
}
struct LevelObj<'w>(&'w Level);
impl Object for LevelObj<'_> {
    fn typename(&self) -> &'static str {
        "InventoryLevel"
    }
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let l = self.0;
        Ok(match name {
            "id" => Resolved::value(format!(
                "gid://shopify/InventoryLevel/{}?inventory_item_id={}",
                l.location_id % 1_000_000_000 + 100_000_000,
                l.inventory_item_id
            )),
            "location" => Resolved::object(Plain::new(
                "Location",
                json!({"id": gid("Location", l.location_id), "name": Value::Null}),
            )),
            "updatedAt" => Resolved::Value(ts(l.updated_at)),
            "quantities" => {
                let names = args.get_str_list("names").ok_or_else(|| FieldError::new("names is required"))?;
                let mut out = Vec::new();
                for n in names {
                    let q = match n {
                        "available" => l.available,
                        "on_hand" => l.on_hand,
                        "committed" => l.committed,
                        "incoming" => l.incoming,
                        "reserved" => l.reserved,
                        "damaged" | "quality_control" | "safety_stock" => 0,
                        other => return Err(FieldError::new(format!("Invalid quantity name: {other}"))),
                    };
                    out.push(Resolved::object(Plain::new("InventoryQuantity", json!({"name": n, "quantity": q}))));
                }
                Resolved::List(out)
            }
            _ => return unknown("InventoryLevel", name),
        })
    }
}

fn location(l: &ShopLocation, _f: Flavour) -> Resolved<'_> {
    Resolved::object(Plain::new(
        "Location",
        json!({"id": gid("Location", l.id), "name": l.name, "isActive": true, "fulfillsOnlineOrders": true}),
    ))
}

fn order(o: &ShopOrder, _f: Flavour) -> Resolved<'_> {
    Resolved::object(OrderObj(o))
}
struct OrderObj<'w>(&'w ShopOrder);
impl Object for OrderObj<'_> {
    fn typename(&self) -> &'static str {
        "Order"
    }
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let o = self.0;
        let gross: Decimal = o.lines.iter().map(|l| l.unit_price * Decimal::from(l.quantity)).sum();
        let discounts: Decimal = o.lines.iter().map(|l| l.discount).sum();
        Ok(match name {
            "id" => Resolved::Value(gid("Order", o.id)),
            "name" => Resolved::value(o.name.as_str()),
            "createdAt" => Resolved::Value(ts(o.created_at)),
            "updatedAt" => Resolved::Value(ts(o.updated_at)),
            "cancelledAt" => Resolved::optional(o.cancelled.then_some(o.updated_at), |t| Resolved::Value(ts(t))),
            "displayFulfillmentStatus" => Resolved::value(if o.fulfilled { "FULFILLED" } else { "UNFULFILLED" }),
            "sourceName" => Resolved::value("web"),
            "subtotalPriceSet" | "currentTotalPriceSet" => bag(gross - discounts),
            "totalDiscountsSet" => bag(discounts),
            "lineItems" => return paginate(&o.lines.iter().collect::<Vec<_>>(), args, Flavour::default(), line_item),
            _ => return unknown("Order", name),
        })
    }
}

fn bag(d: Decimal) -> Resolved<'static> {
    Resolved::object(Bag(d))
}
struct Bag(Decimal);
impl Object for Bag {
    fn typename(&self) -> &'static str {
        "MoneyBag"
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        match name {
            "shopMoney" | "presentmentMoney" => Ok(money(self.0)),
            _ => unknown("MoneyBag", name),
        }
    }
}

fn line_item(l: &crate::sandbox::world::LineItem, _f: Flavour) -> Resolved<'_> {
    Resolved::object(LineObj(l))
}
struct LineObj<'w>(&'w crate::sandbox::world::LineItem);
impl Object for LineObj<'_> {
    fn typename(&self) -> &'static str {
        "LineItem"
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let l = self.0;
        Ok(match name {
            "sku" => Resolved::value(l.sku.as_str()),
            "quantity" | "currentQuantity" => Resolved::value(l.quantity),
            "originalUnitPriceSet" => bag(l.unit_price),
            "discountedTotalSet" => bag(l.unit_price * Decimal::from(l.quantity) - l.discount),
            "totalDiscountSet" => bag(l.discount),
            "variant" => Resolved::object(Plain::new(
                "ProductVariant",
                json!({"id": gid("ProductVariant", l.variant_id), "sku": l.sku}),
            )),
            _ => return unknown("LineItem", name),
        })
    }
}

fn discount_node(d: &ShopDiscount, _f: Flavour) -> Resolved<'_> {
    Resolved::object(DiscountObj(d, true))
}
/// The `DiscountNode` (`.1 == true`) or the discount itself.
struct DiscountObj<'w>(&'w ShopDiscount, bool);
impl Object for DiscountObj<'_> {
    fn typename(&self) -> &'static str {
        match (self.1, self.0.code.is_some()) {
            (true, _) => "DiscountNode",
            (false, true) => "DiscountCodeBasic",
            (false, false) => "DiscountAutomaticBasic",
        }
    }
    fn is_a(&self, cond: &str) -> bool {
        cond == self.typename() || (!self.1 && cond == "Discount")
    }
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let d = self.0;
        if self.1 {
            return match name {
                "id" => Ok(Resolved::Value(gid("DiscountNode", d.id))),
                "discount" => Ok(Resolved::object(DiscountObj(d, false))),
                _ => unknown("DiscountNode", name),
            };
        }
        Ok(match name {
            "title" => Resolved::value(d.title.as_str()),
            "status" => Resolved::value("ACTIVE"),
            "startsAt" => Resolved::Value(ts(d.starts_at)),
            "endsAt" => Resolved::optional(d.ends_at, |t| Resolved::Value(ts(t))),
            "customerGets" => Resolved::object(Gets(d)),
            "codes" if d.code.is_some() => {
                return paginate(&d.code.iter().collect::<Vec<_>>(), args, Flavour::default(), |c, _| {
                    Resolved::object(Plain::new("DiscountRedeemCode", json!({"code": c})))
                });
            }
            _ => return unknown(self.typename(), name),
        })
    }
}

struct Gets<'w>(&'w ShopDiscount);
impl Object for Gets<'_> {
    fn typename(&self) -> &'static str {
        "DiscountCustomerGets"
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        let d = self.0;
        Ok(match (name, &d.value) {
            ("value", DiscountValue::Percentage(p)) => Resolved::object(Plain::new(
                "DiscountPercentage",
                json!({"percentage": f64::try_from(*p).unwrap_or(0.0)}),
            )),
            ("value", DiscountValue::Amount { amount: a, each_item }) => Resolved::object(AmountObj(*a, *each_item)),
            ("items", _) if d.variants.is_empty() => {
                Resolved::object(Plain::new("AllDiscountItems", json!({"allItems": true})))
            }
            ("items", _) => Resolved::object(Items(d)),
            _ => return unknown("DiscountCustomerGets", name),
        })
    }
}

struct AmountObj(Decimal, bool);
impl Object for AmountObj {
    fn typename(&self) -> &'static str {
        "DiscountAmount"
    }
    fn field(&self, name: &str, _args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        match name {
            "amount" => Ok(money(self.0)),
            "appliesOnEachItem" => Ok(Resolved::value(self.1)),
            _ => unknown("DiscountAmount", name),
        }
    }
}

struct Items<'w>(&'w ShopDiscount);
impl Object for Items<'_> {
    fn typename(&self) -> &'static str {
        "DiscountProducts"
    }
    fn field(&self, name: &str, args: &Arguments) -> Result<Resolved<'_>, FieldError> {
        match name {
            "productVariants" => {
                paginate(&self.0.variants.iter().collect::<Vec<_>>(), args, Flavour::default(), |(id, sku), _| {
                    Resolved::object(Plain::new(
                        "ProductVariant",
                        json!({"id": gid("ProductVariant", *id), "sku": sku}),
                    ))
                })
            }
            "products" => paginate(&[] as &[&u64], args, Flavour::default(), |_, _| Resolved::Null),
            _ => unknown("DiscountProducts", name),
        }
    }
}
