// Who gets a connection slot when the listener is full: the policy alone,
// without sockets.

#include "bot/server/connection_slots.hpp"

#include <gtest/gtest.h>

namespace permit::server {
namespace {

using boost::asio::ip::make_address;

const auto kA = make_address("10.0.0.1");
const auto kB = make_address("10.0.0.2");
const auto kC = make_address("10.0.0.3");

ConnectionSlots::Admission admitted(ConnectionSlots& slots, const boost::asio::ip::address& from) {
  auto a = slots.admit(from);
  if (!a) ADD_FAILURE() << "refused";
  return a ? *a : ConnectionSlots::Admission{0, std::nullopt};
}

TEST(ConnectionSlots, WhenFullTheConnectionThatHasWaitedLongestGivesWay) {
  ConnectionSlots slots(3, 3);
  auto first = admitted(slots, kA);
  auto second = admitted(slots, kB);
  auto third = admitted(slots, kC);
  // The first has sent a request and been answered: it now waits again,
  // more recently than the second and third, which never sent anything.
  ASSERT_TRUE(slots.start_request(first.id));
  slots.wait_for_request(first.id);

  auto fourth = admitted(slots, kA);
  EXPECT_EQ(fourth.evicted, second.id);
  auto fifth = admitted(slots, kA);
  EXPECT_EQ(fifth.evicted, third.id);
  auto sixth = admitted(slots, kB);
  EXPECT_EQ(sixth.evicted, first.id);
  EXPECT_EQ(slots.in_use(), 3u);
  // An evicted connection cannot start a request: its slot is taken.
  EXPECT_FALSE(slots.start_request(second.id));
  slots.release(second.id);
  EXPECT_EQ(slots.in_use(), 3u);
}

TEST(ConnectionSlots, ARequestUnderWayIsNeverEvictedAndAFullListenerRefuses) {
  ConnectionSlots slots(2, 2);
  auto first = admitted(slots, kA);
  auto second = admitted(slots, kB);
  ASSERT_TRUE(slots.start_request(first.id));
  ASSERT_TRUE(slots.start_request(second.id));
  EXPECT_EQ(slots.under_way(), 2u);
  auto third = slots.admit(kC);
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error(), Refusal::full);
  // Once one has closed, there is room again, without evicting anyone.
  slots.release(first.id);
  auto fourth = admitted(slots, kC);
  EXPECT_FALSE(fourth.evicted);
  EXPECT_EQ(slots.under_way(), 1u) << "a new connection waits for its request";
  EXPECT_TRUE(slots.start_request(second.id));
}

TEST(ConnectionSlots, OneAddressCannotTakeEverySlot) {
  ConnectionSlots slots(10, 3);
  std::vector<ConnectionSlots::Id> busy;
  for (int i = 0; i < 3; ++i) {
    busy.push_back(admitted(slots, kA).id);
    ASSERT_TRUE(slots.start_request(busy.back()));
  }
  auto refused = slots.admit(kA);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), Refusal::address_full);
  // Others still get in.
  EXPECT_FALSE(admitted(slots, kB).evicted);
  // One of the address's own, once it waits, gives way to the address's
  // next connection; nobody else's does.
  slots.wait_for_request(busy[1]);
  auto next = admitted(slots, kA);
  EXPECT_EQ(next.evicted, busy[1]);
  EXPECT_EQ(slots.in_use(), 4u);
}

TEST(ConnectionSlots, AtItsCapAnAddressEvictsItsOwnWaitingConnectionNotAnotherAddresss) {
  ConnectionSlots slots(4, 2);
  auto other = admitted(slots, kB);  // waits longest of all
  auto mine = admitted(slots, kA);
  auto mine_too = admitted(slots, kA);
  ASSERT_TRUE(slots.start_request(mine_too.id));
  auto again = admitted(slots, kA);
  EXPECT_EQ(again.evicted, mine.id);
  EXPECT_TRUE(slots.start_request(other.id));
}

TEST(ConnectionSlots, IPv6ClientsAreCountedByTheirSlash64AndMappedIPv4AsIPv4) {
  EXPECT_EQ(ConnectionSlots::address_key(make_address("2001:db8:1:2:aaaa::1")),
            ConnectionSlots::address_key(make_address("2001:db8:1:2:bbbb::7")));
  EXPECT_NE(ConnectionSlots::address_key(make_address("2001:db8:1:2::1")),
            ConnectionSlots::address_key(make_address("2001:db8:1:3::1")));
  EXPECT_EQ(ConnectionSlots::address_key(make_address("::ffff:10.0.0.1")), ConnectionSlots::address_key(kA));

  ConnectionSlots slots(10, 1);
  auto first = admitted(slots, make_address("2001:db8::1"));
  ASSERT_TRUE(slots.start_request(first.id));
  EXPECT_FALSE(slots.admit(make_address("2001:db8::2")));
}

TEST(ConnectionSlots, ReleaseAfterEvictionDoesNotFreeASecondSlot) {
  ConnectionSlots slots(1, 1);
  auto first = admitted(slots, kA);
  auto second = admitted(slots, kB);
  EXPECT_EQ(second.evicted, first.id);
  slots.release(first.id);  // the evicted connection closes later
  ASSERT_TRUE(slots.start_request(second.id));
  EXPECT_EQ(slots.in_use(), 1u);
  EXPECT_FALSE(slots.admit(kC));
}

}  // namespace
}  // namespace permit::server
